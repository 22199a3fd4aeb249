// The reset token travels from the emailed URL into a short-lived httpOnly
// cookie, so it leaves the address bar and the history at once (SPEC 3). In
// production the name carries the __Secure- prefix (ASVS 3.3.1): browsers
// refuse it unless it was set Secure, over a secure connection.
import { env } from "@/lib/env";

export function resetCookieName(): string {
  return env().production ? "__Secure-rd_reset" : "rd_reset";
}

export function resetCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: env().production,
    path: "/reset-password",
    maxAge: env().RESET_COOKIE_MINUTES * 60,
  };
}
