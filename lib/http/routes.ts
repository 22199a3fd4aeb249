// Which paths a blocked session may still reach (SPEC 4.3), and which need a
// signed-in user at all. Used by proxy.ts, the first gate; pages check again.
const openWhileBlocked = [
  /^\/notice(\/|$)/,
  /^\/reset-password(\/|$)/,
  /^\/forgot-password$/,
  /^\/account\/password-expired$/,
  /^\/support\/contact$/,
  /^\/sign-out$/,
  /^\/api\/auth\//,
  /^\/api\/health$/,
  /^\/api\/webhooks\//,
  /^\/rate-limited$/,
  /^\/busy$/,
  /^\/dev\/mailbox(\.json)?$/,
  /^\/_next\//,
  /^\/favicon\.ico$/,
];

export function isOpenWhileBlocked(path: string): boolean {
  return openWhileBlocked.some((pattern) => pattern.test(path));
}

export function needsSignIn(path: string): boolean {
  if (path === "/support/contact") return false;
  return /^\/(account|support|admin)(\/|$)/.test(path);
}
