import Link from "next/link";

export default function NotFound() {
  return (
    <div className="narrow stack">
      <h1>Page not found</h1>
      <p>We could not find that page. <Link href="/">Go to the start page</Link>.</p>
    </div>
  );
}
