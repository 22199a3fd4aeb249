import Link from "next/link";
import { signOutAction } from "@/app/sign-out/actions";
import { currentSession } from "@/lib/auth/guards";
import { hasRole } from "@/lib/auth/roles";

export async function AccountNav() {
  const session = await currentSession().catch(() => ({ state: "anonymous" as const }));
  if (session.state === "anonymous") {
    return (
      <li>
        <Link href="/login">Sign in</Link>
      </li>
    );
  }
  const { role } = session.user;
  const active = session.state === "active";
  return (
    <>
      {active && hasRole(role, "agent") ? (
        <li>
          <Link href="/support">Support desk</Link>
        </li>
      ) : null}
      {active && hasRole(role, "admin") ? (
        <li>
          <Link href="/admin">Incident dashboard</Link>
        </li>
      ) : null}
      <li>
        <Link href={active ? "/account" : "/account/password-expired"}>Your account</Link>
      </li>
      <li>
        <form action={signOutAction}>
          <button type="submit" className="link-button">
            Sign out
          </button>
        </form>
      </li>
    </>
  );
}
