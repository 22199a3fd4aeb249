// The reset token travels from the emailed URL into a short-lived httpOnly
// cookie, so it leaves the address bar and the history at once (SPEC 3).
import { env } from "@/lib/env";

export const RESET_COOKIE = "rd_reset";

export function resetCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: env().production,
    path: "/reset-password",
    maxAge: env().RESET_COOKIE_MINUTES * 60,
  };
}
