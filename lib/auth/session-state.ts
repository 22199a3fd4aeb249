// Placeholder until the next-auth session lands: everyone is anonymous.
import type { SessionUser } from "./roles";

export type SessionState =
  | { state: "anonymous" }
  | { state: "active"; user: SessionUser }
  | { state: "blocked"; user: SessionUser };

export async function loadSessionState(): Promise<SessionState> {
  return { state: "anonymous" };
}
