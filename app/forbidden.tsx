import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="narrow stack">
      <h1>You do not have access to this page</h1>
      <p>Your account cannot open this page. If you think it should, ask your incident lead.</p>
      <p><Link href="/account">Go to your account</Link></p>
    </div>
  );
}
