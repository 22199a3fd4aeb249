// SPEC 5.9 and 4.9: after the sign-in and reset flows, no password, token or
// hash appears in the audit trail or anywhere else in the database, except
// the Argon2 PHC string in users.password_hash and the token's SHA-256 in
// reset_tokens.token_hash. (Emails in the dev outbox carry the link by design:
// that is the channel the link travels by.)
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, resetTokens, users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { authenticate } from "@/lib/auth/authenticate";
import { issueResetLink } from "@/lib/reset-links";
import { requestSelfServiceLink, resetPasswordWithToken } from "@/lib/reset-links/flows";
import { uniqueEmail, withTestDb } from "@/test/db";
import { dumpTables } from "./snapshot";

const testDb = withTestDb();

describe("abuse: secrets at rest", () => {
  it("the audit rows and every table hold no password, token or hash outside their one column", async () => {
    const { db } = testDb();
    const email = uniqueEmail("secret");
    const OLD = "the old breached password 1";
    const NEW = "marmalade skies over the harbour";
    const WRONG = "guessing wrongly on purpose 42";
    const { id } = await upsertUser(db, { email, role: "customer", password: OLD });

    await authenticate(db, email, OLD, "203.0.113.5");
    await authenticate(db, email, WRONG, "203.0.113.5");
    await authenticate(db, "nobody@example.com", WRONG, "203.0.113.5");
    await requestSelfServiceLink(db, email, "203.0.113.5");
    const agentToken = (await issueResetLink(db, { userId: id, purpose: "agent", ip: "203.0.113.5" })).url.split("/").pop()!;
    const [tokenRow] = await db.select({ hash: resetTokens.tokenHash }).from(resetTokens).where(eq(resetTokens.userId, id)).orderBy(resetTokens.id).limit(1);
    expect(await resetPasswordWithToken(db, { token: agentToken, password: NEW, confirm: NEW, ip: "203.0.113.5" })).toEqual({ ok: true });
    await authenticate(db, email, NEW, "203.0.113.5");
    const [{ hash }] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id));

    const audit = JSON.stringify(await db.select().from(auditEvents));
    expect(audit).toContain("password.changed"); // the flows did run
    const tables = await dumpTables(db);
    const secrets = { OLD, NEW, WRONG, agentToken, hash: hash!, hashTail: hash!.split("$").pop()!, tokenHash: tokenRow.hash };
    for (const [table, text] of Object.entries(tables)) {
      for (const [name, secret] of Object.entries(secrets)) {
        const allowed =
          (table === "users" && (name === "hash" || name === "hashTail")) ||
          (table === "reset_tokens" && name === "tokenHash") ||
          (table === "outbox_emails" && name === "agentToken");
        if (!allowed) expect(text, `${name} found in ${table}`).not.toContain(secret);
      }
    }
    // And for the audit trail in particular, a JSON-escaped form as well.
    for (const secret of Object.values(secrets)) expect(audit).not.toContain(JSON.stringify(secret).slice(1, -1));
  });
});
