// Accounts seeded before the e2e server starts (e2e/server.ts). Each spec file
// owns its own range of customers, so that no two tests share an account.
export const E2E_PASSWORDS = {
  admin: "harbour lights glow at dusk",
  agent: "reading each message calmly",
  // The "breached" password every seeded customer had before the incident.
  old: "the old breached password 1",
} as const;

export const E2E_ADMIN = "e2e-admin@example.com";
export const E2E_AGENT = "e2e-agent@example.com";
export const E2E_CUSTOMER_COUNT = 230;

/** Customer n (1..230): active (password still valid) or expired. */
export function customerEmail(n: number, state: "active" | "expired"): string {
  return `${state}-${String(n).padStart(3, "0")}@customers.example.com`;
}

/*
 * Ranges by spec file (keep them disjoint):
 *   001-039  auth / reset flows (issue 3); 036-037 the breach blocklist (issue 15)
 *   040-059  notice (issue 4)
 *   060-099  expiry and campaigns (issue 5)
 *   100-139  support desk (issue 6)
 *   140-179  security abuse suite (issue 8)
 *   180-192  abuse-http open-redirect replays
 *   193-200  smoke and spare
 *   201-229  sessions and passkeys (issue 16)
 */
