// next-auth (Auth.js v5) with email and password. Sessions are JWTs carrying
// the account id and its session version; every read of the session re-checks
// them against the database (sessionStateFor), and a dead session's cookie is
// cleared (the jwt callback returns null).
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { OverloadedError } from "@/lib/passwords";
import type { RateLimitedError } from "@/lib/rate-limit";
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

export const SESSION_MAX_AGE_SECONDS = 8 * 3600;

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  useSecureCookies: env().production,
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
          const result = await signInWithLimits(await getDb(), {
            email: credentials?.email,
            password: credentials?.password,
            ip: clientIp(request.headers),
          });
          if (!result.ok && result.code === "rate-limited") throw new RateLimitedSignIn(result.error);
          if (!result.ok) return null;
          const { id, email, name, role, sessionVersion } = result.user;
          return { id: String(id), email, name, role, sv: sessionVersion };
        } catch (error) {
          if (error instanceof OverloadedError) throw new OverloadedSignIn();
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        const signedIn = user as { id: string; sv: number; role: string };
        return { ...token, uid: Number(signedIn.id), sv: signedIn.sv, role: signedIn.role };
      }
      const state = await sessionStateFor(await getDb(), token as { uid?: unknown; sv?: unknown });
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
      const t = token as { uid?: number; role?: string; blocked?: boolean; email?: string; name?: string | null };
      return {
        ...session,
        user: {
          id: t.uid,
          email: t.email ?? "",
          name: t.name ?? null,
          role: t.role,
          blocked: Boolean(t.blocked),
        },
      } as unknown as typeof session;
    },
  },
}));
