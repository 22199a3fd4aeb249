// Authorisation where data is read or changed (STYLE: proxy.ts is only the
// first gate). Pages call requireUser / requireRole; actions and route
// handlers call requireUserForAction / requireRoleForAction.
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { UserRole } from "@/db/schema";
import { hasRole, type SessionUser } from "./roles";
import { loadSessionState, type SessionState } from "./session-state";

export type { SessionUser } from "./roles";

/** The request's session, checked against the database (version, expiry, role). */
export const currentSession = cache(async (): Promise<SessionState> => loadSessionState());

export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const session = await currentSession();
  if (session.state === "anonymous") {
    redirect(returnTo ? `/login?next=${encodeURIComponent(returnTo)}` : "/login");
  }
  if (session.state === "blocked") redirect("/account/password-expired");
  return session.user;
}

export async function requireRole(role: UserRole, returnTo?: string): Promise<SessionUser> {
  const user = await requireUser(returnTo);
  if (!hasRole(user.role, role)) forbidden();
  return user;
}

export class AuthorizationError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = "AuthorizationError";
  }
}

/** For server actions and API routes: throws AuthorizationError (401/403) instead of redirecting. */
export async function requireUserForAction(): Promise<SessionUser> {
  const session = await currentSession();
  if (session.state === "anonymous") throw new AuthorizationError(401, "Sign in first.");
  if (session.state === "blocked")
    throw new AuthorizationError(403, "Your password has expired: set a new one first.");
  return session.user;
}

export async function requireRoleForAction(role: UserRole): Promise<SessionUser> {
  const user = await requireUserForAction();
  if (!hasRole(user.role, role)) throw new AuthorizationError(403, "You do not have access to this.");
  return user;
}

/** For route handlers: null when the session has the role, else the 401/403 answer to send. */
export async function refuseUnlessRole(role: UserRole): Promise<Response | null> {
  try {
    await requireRoleForAction(role);
    return null;
  } catch (error) {
    if (error instanceof AuthorizationError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}
