// Server actions of the desk: the session must hold the role (401 → sign in,
// 403 → the forbidden page), and lib/support authorises again against the
// database. Returns the acting user's id and the client's address.
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { AuthorizationError, requireRoleForAction } from "@/lib/auth/guards";
import { clientIp } from "@/lib/http/client-ip";
import { RateLimitedError, rateLimitedPath } from "@/lib/rate-limit";

export async function staffAction<T>(
  role: "agent" | "admin",
  work: (actor: { id: number; ip: string }) => Promise<T>,
): Promise<T> {
  try {
    const user = await requireRoleForAction(role);
    return await work({ id: user.id, ip: clientIp(await headers()) });
  } catch (error) {
    if (error instanceof AuthorizationError) {
      if (error.status === 401) redirect("/login");
      forbidden();
    }
    if (error instanceof RateLimitedError) redirect(rateLimitedPath(error));
    throw error;
  }
}
