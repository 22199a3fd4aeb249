// next-auth (Auth.js v5) with email and password. Sessions are JWTs carrying
// the account id and its session version; every read of the session re-checks
// them against the database (sessionStateFor), and a dead session's cookie is
// cleared (the jwt callback returns null).
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { recordAudit } from "@/lib/audit";
import { clientIp } from "@/lib/http/client-ip";
import { OverloadedError } from "@/lib/passwords";
import { verifyPasskeySignIn } from "@/lib/passkeys";
import type { RateLimitedError } from "@/lib/rate-limit";
import { createDeviceSession } from "@/lib/sessions";
import { sessionTokenCookie } from "./session-cookie";
import { signInWithLimits } from "./sign-in";
import { sessionStateFor } from "./session-state";

export class OverloadedSignIn extends CredentialsSignin {
  code = "busy";
}

/** Over a sign-in limit: the /login action answers with the 429 page. */
export class RateLimitedSignIn extends CredentialsSignin {
  code = "rate-limited";
  constructor(readonly limit: RateLimitedError) {
    super();
  }
}

export class UnknownPasskey extends CredentialsSignin {
  code = "passkey-unknown";
}

export const SESSION_MAX_AGE_SECONDS = 8 * 3600;

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  useSecureCookies: env().production,
  cookies: { sessionToken: sessionTokenCookie(env().production) },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 15 * 60 },
  pages: { signIn: "/login", error: "/login" },
  logger: {
    // Auth.js logs CredentialsSignin as an error; the audit trail records it.
    error: (error) => {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error(`[auth] ${(error as Error).name}: ${(error as Error).message}`);
    },
    warn: () => {},
    debug: () => {},
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      authorize: async (credentials, request) => {
        try {
          const db = await getDb();
          const ip = clientIp(request.headers);
          const result = await signInWithLimits(db, { email: credentials?.email, password: credentials?.password, ip });
          if (!result.ok && result.code === "rate-limited") throw new RateLimitedSignIn(result.error);
          if (!result.ok) return null;
          const { id, email, name, role, sessionVersion } = result.user;
          const sid = await createDeviceSession(db, {
            userId: id,
            method: "password",
            userAgent: request.headers.get("user-agent"),
            ip,
          });
          return { id: String(id), email, name, role, sv: sessionVersion, sid };
        } catch (error) {
          if (error instanceof OverloadedError) throw new OverloadedSignIn();
          throw error;
        }
      },
    }),
    // A passkey assertion, verified server-side against the stored challenge
    // and public key (docs/decisions/0012-passkeys.md). No Argon2 is involved.
    Credentials({
      id: "passkey",
      name: "Passkey",
      credentials: { challengeId: {}, response: {} },
      authorize: async (credentials, request) => {
        const db = await getDb();
        const ip = clientIp(request.headers);
        let response;
        try {
          response = JSON.parse(String(credentials?.response ?? ""));
        } catch {
          return null;
        }
        const result = await verifyPasskeySignIn(db, credentials?.challengeId, response, ip);
        if (!result.ok) {
          if (result.code === "unknown-credential") throw new UnknownPasskey();
          return null;
        }
        const { id, email, name, role, sessionVersion } = result.user;
        await recordAudit(db, { action: "sign_in.success", subjectId: id, actorId: id, ip, detail: { method: "passkey" } });
        const sid = await createDeviceSession(db, { userId: id, method: "passkey", userAgent: request.headers.get("user-agent"), ip });
        return { id: String(id), email, name, role, sv: sessionVersion, sid };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const signedIn = user as { id: string; sv: number; sid: string; role: string };
        return { ...token, uid: Number(signedIn.id), sv: signedIn.sv, sid: signedIn.sid, role: signedIn.role };
      }
      const state = await sessionStateFor(await getDb(), token as { uid?: unknown; sv?: unknown; sid?: unknown });
      if (state.state === "anonymous") return null; // dead: the cookie is cleared
      return {
        ...token,
        email: state.user.email,
        name: state.user.name,
        role: state.user.role,
        blocked: state.state === "blocked",
      };
    },
    async session({ session, token }) {
      const t = token as { uid?: number; sid?: string; role?: string; blocked?: boolean; email?: string; name?: string | null };
      return {
        ...session,
        user: {
          id: t.uid,
          sid: t.sid,
          email: t.email ?? "",
          name: t.name ?? null,
          role: t.role,
          blocked: Boolean(t.blocked),
        },
      } as unknown as typeof session;
    },
  },
}));
