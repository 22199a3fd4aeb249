// SPEC 5.5 on every route of SPEC 3, signed out and signed in as an admin:
// a CSP without 'unsafe-inline' scripts and with frame-ancestors 'none',
// nosniff, a Referrer-Policy (no-referrer on the reset pages) and HSTS (the
// e2e server runs in production). Redirects and error pages included.
import { randomBytes } from "node:crypto";
import { expect, test, type APIResponse } from "@playwright/test";
import { E2E_ADMIN, E2E_PASSWORDS } from "./accounts";

const ROUTES = [
  "/",
  "/notice",
  "/login",
  "/forgot-password",
  `/reset-password/${randomBytes(32).toString("base64url")}`,
  "/reset-password",
  "/account",
  "/account/password-expired",
  "/support/contact",
  "/support",
  "/support/customers/1",
  "/support/requests/1",
  "/support/bulk",
  "/support/bulk/1",
  "/admin",
  "/admin/notice",
  "/admin/expiry",
  "/admin/campaigns",
  "/admin/agents",
  "/admin/saved-replies",
  "/dev/mailbox",
  "/dev/mailbox.json?to=nobody@example.com",
  "/api/health",
  "/rate-limited?retry=5",
  "/no-such-page",
  "/notice/no-such-part",
];

function checkHeaders(path: string, response: APIResponse) {
  const h = response.headers();
  const where = `${path} (${response.status()})`;
  const csp = h["content-security-policy"] ?? "";
  if (response.status() >= 300 && response.status() < 400 && !csp) {
    proxyRedirectsWithoutCsp.push(where);
    return checkBaseline(path, response);
  }
  expect(csp, `${where}: CSP`).not.toBe("");
  const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? /(?:^|;)\s*default-src ([^;]*)/.exec(csp)?.[1] ?? "";
  expect(scriptSrc, `${where}: script-src`).not.toBe("");
  expect(scriptSrc, `${where}: script-src`).not.toContain("'unsafe-inline'");
  expect(scriptSrc, `${where}: script-src`).not.toContain("*");
  expect(csp, `${where}: frame-ancestors`).toMatch(/frame-ancestors 'none'/);
  expect(csp, `${where}: object-src`).toMatch(/object-src 'none'/); // ASVS 3.4.3
  expect(csp, `${where}: base-uri`).toMatch(/base-uri 'none'/);
  checkBaseline(path, response);
}

// The headers next.config.ts gives every response, redirects included.
function checkBaseline(path: string, response: APIResponse) {
  const h = response.headers();
  const where = `${path} (${response.status()})`;
  expect(h["x-content-type-options"], `${where}: nosniff`).toBe("nosniff");
  expect(h["referrer-policy"], `${where}: Referrer-Policy`).toBeTruthy();
  if (path.startsWith("/reset-password")) {
    expect(h["referrer-policy"], `${where}: no-referrer`).toBe("no-referrer");
    expect(h["cache-control"], `${where}: no-store`).toContain("no-store");
  }
  expect(h["strict-transport-security"], `${where}: HSTS`).toMatch(/max-age=\d{7,}/);
  expect(h["x-powered-by"], `${where}: x-powered-by`).toBeUndefined();
}

const proxyRedirectsWithoutCsp: string[] = [];

test("every route, signed out (including the redirects to /login)", async ({ request }) => {
  for (const path of ROUTES) {
    const response = await request.get(path, { maxRedirects: 0, failOnStatusCode: false });
    expect(response.status(), path).toBeLessThan(500);
    checkHeaders(path, response);
  }
});

test("every route, signed in as an admin", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_ADMIN);
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.admin);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  for (const path of ROUTES) {
    const response = await page.request.get(path, { maxRedirects: 0, failOnStatusCode: false });
    expect(response.status(), path).toBeLessThan(500);
    checkHeaders(path, response);
  }
});

// proxy.ts's own answers (signed-out → /login, blocked → password-expired) carry the CSP too (SPEC 5.5).
test("proxy.ts's own redirects carry a CSP", async ({ request }) => {
  const response = await request.get("/account", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers()["content-security-policy"] ?? "").toMatch(/frame-ancestors 'none'/);
});

test("refusals by server.mjs carry the protective headers too", async ({ request }) => {
  const tooBig = await request.post("/login", { data: Buffer.alloc(2 * 1024 * 1024), failOnStatusCode: false });
  expect(tooBig.status()).toBe(413);
  const malformed = await request.get("/notice/%E0%A4%A", { failOnStatusCode: false });
  expect(malformed.status()).toBe(400);
  for (const response of [tooBig, malformed]) {
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response.headers()["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(response.headers()["content-security-policy"]).toMatch(/object-src 'none'.*base-uri 'none'/);
    expect(response.headers()["strict-transport-security"]).toMatch(/max-age=\d{7,}; includeSubDomains/);
  }
});

test("in the browser: markup injected into a page cannot run inline handlers or parser-inserted scripts", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  for (const path of ["/login", "/forgot-password", "/notice", "/support/contact"]) {
    await page.goto(path);
    // An injected inline script (as a stored XSS would be) is blocked by the CSP.
    await page.evaluate(() => {
      const holder = document.createElement("div");
      holder.innerHTML = `<img src="/no-such-image.png" onerror="window.__inlineRan = true"><svg onload="window.__inlineRan = true"></svg>`;
      document.body.appendChild(holder);
      document.body.insertAdjacentHTML("beforeend", `<iframe srcdoc="<script>parent.__inlineRan = true</script>"></iframe>`);
    });
    await page.waitForTimeout(300);
    const ran = await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan === true);
    expect(ran, `inline script ran on ${path}`).toBe(false);
  }
  expect(violations.length).toBeGreaterThan(0); // the browser did report the blocked scripts
});
