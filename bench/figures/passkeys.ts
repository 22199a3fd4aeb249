// Issue 16: passkey sign-ins per second beside password sign-ins per second,
// in the same run, through the app's own verification functions (the code the
// Auth.js providers call): a password sign-in is one Argon2 verify on the hash
// threads; a passkey sign-in is a stored challenge, one ES256 verify and a
// conditional counter update, with no Argon2. Both then record the session.
import os from "node:os";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { upsertUser } from "@/lib/accounts";
import { authenticate } from "@/lib/auth/authenticate";
import { OverloadedError } from "@/lib/passwords";
import { finishRegistration, startAuthentication, startRegistration, verifyPasskeySignIn } from "@/lib/passkeys";
import { createDeviceSession } from "@/lib/sessions";
import { assertion, attestation, authenticator, type Authenticator } from "@/test/webauthn";
import { benchDatabase } from "../db";
import type { FigureContext } from "../figures";

const PASSWORD = "Lantern-Quokka-7319-Ribbon";
const ACCOUNTS = 16;
const IN_FLIGHT = 8;

async function measure(seconds: number, once: (i: number) => Promise<boolean>) {
  const end = Date.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  let busy = 0;
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (Date.now() < end) {
        try {
          if (await once(next++)) ok++;
          else failed++;
        } catch (error) {
          // The hashing admission's "busy" answer (the app's 503): counted, not fatal.
          if (!(error instanceof OverloadedError)) throw error;
          busy++;
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  return { perSecond: Math.round((ok / elapsed) * 10) / 10, signIns: ok, failed, busy, seconds: Math.round(elapsed * 10) / 10 };
}

export default async function passkeys(ctx: FigureContext) {
  const { db, kind, close } = await benchDatabase();
  try {
    const accounts: { id: number; email: string; auth: Authenticator; counter: number }[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const email = `bench-passkey-${i}@example.com`;
      const { id } = await upsertUser(db, { email, role: "customer", password: PASSWORD });
      await db.update(users).set({ passwordExpiredAt: null }).where(eq(users.id, id));
      const auth = authenticator();
      const reg = await startRegistration(db, id);
      const added = await finishRegistration(db, id, reg.challengeId, attestation(auth, reg.optionsJSON.challenge), null);
      if (!added.ok) throw new Error(`registering a bench passkey failed: ${added.code}`);
      accounts.push({ id, email, auth, counter: 0 });
    }
    const seconds = Math.max(5, Math.min(ctx.pageSeconds, 15));
    ctx.log(`  passkeys: ${ACCOUNTS} accounts on ${kind}, ${IN_FLIGHT} in flight, ${seconds} s per kind`);

    const password = await measure(seconds, async (i) => {
      const a = accounts[i % ACCOUNTS];
      const result = await authenticate(db, a.email, PASSWORD, "198.51.100.7");
      if (!result.ok) return false;
      await createDeviceSession(db, { userId: a.id, method: "password", userAgent: "bench", ip: "198.51.100.7" });
      return true;
    });
    ctx.log(`  password sign-ins: ${password.perSecond}/s`);

    const passkey = await measure(seconds, async (i) => {
      const a = accounts[i % ACCOUNTS];
      const { challengeId, optionsJSON } = await startAuthentication(db);
      const response = assertion(a.auth, optionsJSON.challenge, a.id, { counter: ++a.counter });
      const result = await verifyPasskeySignIn(db, challengeId, response, "198.51.100.7");
      if (!result.ok) return false;
      await createDeviceSession(db, { userId: a.id, method: "passkey", userAgent: "bench", ip: "198.51.100.7" });
      return true;
    });
    ctx.log(`  passkey sign-ins: ${passkey.perSecond}/s (${(passkey.perSecond / Math.max(password.perSecond, 0.1)).toFixed(1)}x)`);

    return {
      database: kind,
      cores: os.availableParallelism(),
      inFlight: IN_FLIGHT,
      passwordSignInsPerSecond: password.perSecond,
      passkeySignInsPerSecond: passkey.perSecond,
      ratio: Math.round((passkey.perSecond / Math.max(password.perSecond, 0.1)) * 10) / 10,
      password,
      passkey,
      note: "in-process through authenticate() and verifyPasskeySignIn() plus the session record; the client's ES256 signing is included in the passkey time; HTTP and Auth.js are not",
    };
  } finally {
    await close();
  }
}
