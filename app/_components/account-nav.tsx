import Link from "next/link";

// Replaced by the session-aware navigation when sign-in lands.
export async function AccountNav() {
  return (
    <li>
      <Link href="/login">Sign in</Link>
    </li>
  );
}
