import type { Db } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import { endDeviceSession } from "@/lib/sessions";

/**
 * Signing out from the header: this session's record ends, so every copy of
 * its cookie dies at its next request on every instance; the account's other
 * devices stay signed in (issue 16). "Sign out everywhere" is end-sessions or
 * a password change, which move the session version on.
 */
export async function signOutThisSession(db: Db, userId: number, sessionId: string, ip: string | null) {
  await endDeviceSession(db, sessionId, { userId, actorId: userId, ip, reason: "signed_out" });
  await recordAudit(db, { action: "sign_out", actorId: userId, subjectId: userId, ip });
}
