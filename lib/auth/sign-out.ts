import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";

/** Signing out: the account's session version moves on, so every copy of its session cookies dies. */
export async function endSessionsOf(db: Db, userId: number, ip: string | null) {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    await recordAudit(tx, { action: "sign_out", actorId: userId, subjectId: userId, ip });
  });
}
