// The abuse suite over HTTP, against the production server (SPEC 5.2, 5.6,
// 5.8): the forms' server actions replayed with hostile values, oversize
// bodies, foreign origins and hostile return addresses. Customers 140-149.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { expect, test, type Page } from "@playwright/test";
import { hostileString, hugeString } from "../test/abuse/arbitraries";
import { E2E_PASSWORDS, customerEmail } from "./accounts";
import { captureAction, expectNoServerError, redirectOf, replayAction } from "./abuse-helpers";
import { readMailbox } from "./helpers";

const RUNS = Number(process.env.FUZZ_RUNS_E2E || 25);
const INVALID_UTF8 = [Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])];
const formValue = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: hugeString.map((s) => s.slice(0, 60_000)) },
  { weight: 1, arbitrary: fc.constantFrom(...INVALID_UTF8) },
  { weight: 1, arbitrary: fc.constant(undefined) }, // the field left out
);

async function captureSignIn(page: Page, email = "capture@example.com", password = "not the password at all", next = "") {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  return captureAction(page, async () => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
  });
}

async function captureForgot(page: Page, email = "capture@example.com") {
  await page.goto("/forgot-password");
  return captureAction(page, async () => {
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
  });
}

function hasSessionCookie(headers: Record<string, string>) {
  return /authjs\.session-token=[^;]/.test(headers["set-cookie"] ?? "");
}

test.describe("oversize and malformed bodies", () => {
  test("several MB to any route → 413 from server.mjs before any parsing", async ({ request }) => {
    const big = Buffer.alloc(5 * 1024 * 1024, "a");
    for (const path of ["/login", "/forgot-password", "/reset-password", "/api/auth/callback/credentials", "/api/health", "/support/contact"]) {
      const response = await request.post(path, {
        data: big,
        headers: { "content-type": "application/x-www-form-urlencoded", "next-action": "0".repeat(42) },
        failOnStatusCode: false,
      });
      expect(response.status(), path).toBe(413);
      expect(await response.text()).toBe("The request is too large.");
    }
  });

  test("a body above the action limit but under the server's: refused, never a 500", async ({ page, request }) => {
    const action = await captureForgot(page);
    const response = await replayAction(request, action, { email: "x".repeat(600_000) + "@example.com" });
    expect(response.status()).toBe(413); // server.mjs, before Next.js's own 500 for it
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  });
});

test.describe("server actions with hostile values", () => {
  test("sign-in: any email and password → the generic refusal, no session, never a 500", async ({ page, request }) => {
    const action = await captureSignIn(page);
    await fc.assert(
      fc.asyncProperty(formValue, formValue, async (email, password) => {
        const response = await replayAction(request, action, { email, password });
        const status = response.status();
        expectNoServerError(status, `sign-in with ${JSON.stringify(String(email).slice(0, 40))}`);
        expect(hasSessionCookie(response.headers())).toBe(false);
        const body = await response.text();
        const answer = `status ${status}, redirect ${response.headers()["x-action-redirect"] ?? "none"}`;
        expect(body, answer).toContain("Email or password is incorrect.");
      }),
      { numRuns: RUNS },
    );
  });

  test("forgot password: any address → the same status or a field message, no email sent, never a 500", async ({ page, request }) => {
    const action = await captureForgot(page);
    const before = (await readMailbox(request, "")).length;
    await fc.assert(
      fc.asyncProperty(formValue, async (email) => {
        const response = await replayAction(request, action, { email });
        expectNoServerError(response.status(), "forgot-password");
        const body = await response.text();
        expect(body).toMatch(/"sent":true|"fieldErrors":\{"email":"[A-Z][^"]{8,}"/);
      }),
      { numRuns: RUNS },
    );
    await page.waitForTimeout(500); // the after() work of the last request
    expect((await readMailbox(request, "")).length).toBe(before);
  });

  test("wrong types and missing fields: an unknown action, absent fields, arrays and objects → never a 500", async ({ page, request }) => {
    const action = await captureSignIn(page);
    const unknown = await replayAction(request, { ...action, headers: { ...action.headers, "next-action": "f".repeat(42) } }, {});
    expectNoServerError(unknown.status(), "unknown action id");
    const noFields = await replayAction(request, action, { email: undefined, password: undefined, next: undefined });
    expectNoServerError(noFields.status(), "no fields");
    expect(await noFields.text()).toContain("Email or password is incorrect.");
    // Repeated fields (what a form sends for an array) and a file in place of text.
    const userFields = action.fields.filter(([name]) => /_(email|password|next)$/.test(name));
    const doubled = await replayAction(request, { ...action, fields: [...action.fields, ...userFields] }, {});
    expectNoServerError(doubled.status(), "every form field twice");
    expect(await doubled.text()).toContain("Email or password is incorrect.");
  });

  // KNOWN GAP (Next.js 16.4, not our code): an action whose React-encoded
  // arguments do not parse (e.g. "not json") is answered 500 by the framework
  // before our action runs. Nothing changes and nothing leaks (asserted), but the
  // status is wrong. Marked test.fail() so it flips to a failure once fixed.
  test("malformed action encoding: nothing leaks, nothing changes (status: known framework gap)", async ({ page, request }) => {
    test.fail(process.env.ABUSE_STRICT_GAPS !== "1", "Next.js answers 500 for undecodable server-action arguments (docs/security.md, gaps)");
    const email = customerEmail(141, "active");
    const action = await captureForgot(page);
    const argsField = action.fields.find(([name]) => /^\d+$/.test(name))?.[0] ?? "0";
    const statuses: Record<string, number> = {};
    const doubled = await replayAction(request, { ...action, fields: [...action.fields, ...action.fields] }, { email });
    statuses["doubled"] = doubled.status();
    for (const args of ["not json", "{}", "[]", "[1,2,3]", '["$K9"]', '"$@1"', "null", "[".repeat(5000), '{"__proto__":{"x":1}}']) {
      const response = await replayAction(request, action, { [argsField]: args, email });
      statuses[args.slice(0, 12)] = response.status();
      const body = await response.text();
      expect(body).not.toMatch(/\bat \S+ \(|node_modules|SyntaxError|\/work\//); // no stack trace or path
      expect(body).not.toContain('"sent":true');
    }
    await page.waitForTimeout(500);
    expect(await readMailbox(request, email)).toEqual([]);
    console.log("malformed action encoding → statuses", statuses);
    expect(Object.values(statuses).every((s) => s < 500), JSON.stringify(statuses)).toBe(true);
  });

  test("reset-password action: without a link, or with mismatched passwords, nothing changes", async ({ page, request }) => {
    // Without a link cookie: sent back to the invalid-link page.
    const email = customerEmail(140, "expired");
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await expect(page.getByRole("status")).toContainText("If an account exists");
    let link = "";
    await expect.poll(async () => {
      const mail = await readMailbox(request, email);
      link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail[0]?.text ?? "")?.[0] ?? "";
      return link;
    }).not.toBe("");
    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
    const action = await captureAction(page, async () => {
      // Passes the browser's checks; the server refuses it (the current, breached password).
      await page.getByLabel("New password", { exact: true }).fill(E2E_PASSWORDS.old);
      await page.getByLabel("Confirm new password").fill(E2E_PASSWORDS.old);
      await page.getByRole("button", { name: "Set new password" }).click();
    });
    await fc.assert(
      fc.asyncProperty(formValue, formValue, async (password, confirm) => {
        fc.pre(!(typeof password === "string" && password === confirm)); // mismatched or malformed
        const response = await page.request.post(action.url, {
          headers: { ...action.headers },
          multipart: Object.fromEntries(
            action.fields
              .filter(([name]) => !(/password$/.test(name) && password === undefined) && !(/confirm$/.test(name) && confirm === undefined))
              .map(([name, value]) => [name, /password$/.test(name) ? String(password) : /confirm$/.test(name) ? String(confirm) : value]),
          ),
          maxRedirects: 0,
          failOnStatusCode: false,
        });
        expectNoServerError(response.status(), "set new password");
        expect(await response.text()).toMatch(/"(formError|fieldErrors)":/);
      }),
      { numRuns: RUNS },
    );
    // The link still works: nothing was changed or consumed.
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill("pebbles under a copper moon");
    await page.getByLabel("Confirm new password").fill("pebbles under a copper moon");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByRole("status")).toContainText("Your password has been changed.");
  });

  test("API routes with junk: never a 500", async ({ request }) => {
    const junk = [Buffer.from("{"), Buffer.from('{"email":[1],"password":{}}'), Buffer.concat(INVALID_UTF8), Buffer.from("a=%ZZ&b=%")];
    for (const data of junk) {
      for (const type of ["application/json", "application/x-www-form-urlencoded", "text/plain"]) {
        const response = await request.post("/api/auth/callback/credentials", { data, headers: { "content-type": type }, maxRedirects: 0, failOnStatusCode: false });
        expectNoServerError(response.status(), `credentials callback ${type}`);
        expect(hasSessionCookie(response.headers())).toBe(false);
      }
    }
    const malformed = await request.get("/reset-password/%ZZ", { maxRedirects: 0, failOnStatusCode: false });
    expect(malformed.status()).toBe(400); // server.mjs: Next.js would answer a 500
    for (const path of ["/api/health?x=%ZZ", "/notice/%E0%A4%A", "/dev/mailbox.json?to=%ZZ", `/dev/mailbox.json?to=${"a".repeat(300)}`, "/reset-password/%ZZ", `/reset-password/${"é".repeat(500)}`]) {
      const response = await request.get(path, { maxRedirects: 0, failOnStatusCode: false });
      expectNoServerError(response.status(), path);
    }
  });
});

test.describe("cross-site requests", () => {
  test("a server action POST from another origin is refused and does nothing", async ({ page, request }) => {
    const email = customerEmail(141, "expired");
    const action = await captureForgot(page);
    for (const origin of ["https://evil.example", "null", "http://localhost.evil.example"]) {
      for (const site of ["cross-site", undefined]) {
        const response = await replayAction(request, action, { email }, { origin, ...(site ? { "sec-fetch-site": site } : {}) });
        expect(response.status(), `origin ${origin}`).not.toBe(200);
        expect(await response.text()).not.toContain('"sent":true');
      }
    }
    const signIn = await captureSignIn(page);
    const foreign = await replayAction(request, signIn, { email: customerEmail(141, "active"), password: E2E_PASSWORDS.old }, { origin: "https://evil.example" });
    expect(foreign.status()).not.toBe(200);
    expect(hasSessionCookie(foreign.headers())).toBe(false);
    await page.waitForTimeout(1000);
    expect(await readMailbox(request, email)).toEqual([]);
  });

  test("next-auth's own sign-in endpoint refuses a post without its CSRF token", async ({ request }) => {
    const response = await request.post("/api/auth/callback/credentials", {
      form: { email: customerEmail(141, "active"), password: E2E_PASSWORDS.old },
      headers: { origin: "https://evil.example" },
      maxRedirects: 0,
      failOnStatusCode: false,
    });
    expectNoServerError(response.status(), "credentials callback");
    expect(hasSessionCookie(response.headers())).toBe(false);
  });

  test("the session cookie is __Host- prefixed, HttpOnly, SameSite=Lax, Secure, Path=/ (the server runs in production)", async ({ page, context }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(customerEmail(142, "active"));
    await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.old);
    const answer = page.waitForResponse(
      (r) => r.request().method() === "POST" && Boolean(r.request().headers()["next-action"]) && /multipart\/form-data/.test(r.request().headers()["content-type"] ?? ""),
    );
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const setCookie = (await (await answer).headerValue("set-cookie")) ?? "";
    expect(setCookie).toMatch(/__Host-authjs\.session-token=[^;]+;.*HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/__Host-authjs\.session-token=[^;]+;(.*;)?\s*Path=\/(;|$)/i);
    expect(setCookie).not.toMatch(/__Host-authjs\.session-token=[^,]*Domain=/i);
    await expect(page).toHaveURL(/\/account/);
    const session = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax" });
  });
});

test.describe("open redirects (SPEC 5.6)", () => {
  const attempts = [
    "https://evil.example/",
    "//evil.example/account",
    "/\\evil.example",
    "\\\\evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "javascript:alert(document.domain)",
    "/%252F%252Fevil.example",
    "http://localhost@evil.example/",
  ];

  test("every return address given to /login?next= lands on this site", async ({ page, browser, baseURL }) => {
    // The sign-in action is captured once from the browser, then replayed over
    // HTTP with each hostile return address, each for its own account (so the
    // per-account limit never interferes and no navigation races the next try).
    const action = await captureSignIn(page, customerEmail(143, "active"), E2E_PASSWORDS.old, "/account");
    for (const [i, next] of attempts.entries()) {
      const email = customerEmail(180 + i, "active"); // spare range 180-192
      const target = redirectOf(await replayAction(page.request, action, { email, next }));
      expect(target, `next=${next}`).toBeDefined();
      const resolved = new URL(target!, "http://localhost");
      expect(resolved.origin, `next=${next} → ${target}`).toBe("http://localhost");
      expect(target).toMatch(/^\/[^/\\]/);
    }
    // And in the browser, end to end, for two of them.
    for (const next of ["//evil.example/account", "/\\evil.example"]) {
      const context = await browser.newContext();
      const fresh = await context.newPage();
      const base = new URL(baseURL!).origin;
      await fresh.goto(`${base}/login?next=${encodeURIComponent(next)}`);
      await fresh.getByLabel("Email").fill(customerEmail(146, "active"));
      await fresh.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.old);
      await fresh.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(fresh).toHaveURL(new RegExp(`^${base}/`));
      await expect(fresh.getByRole("heading", { level: 1 })).toBeVisible();
      expect(new URL(fresh.url()).origin).toBe(base);
      await context.close();
    }
  });

  test("signed-out visits and link redirects use this site, never the Host header or a callbackUrl", async ({ request, baseURL }) => {
    const token = randomBytes(32).toString("base64url");
    const viaLink = await request.get(`/reset-password/${token}`, { headers: { host: "evil.example", "x-forwarded-host": "evil.example" }, maxRedirects: 0, failOnStatusCode: false });
    expect(new URL(viaLink.headers()["location"], baseURL).origin).toBe(baseURL);
    const protectedPage = await request.get("/account?next=https://evil.example", { maxRedirects: 0, failOnStatusCode: false });
    expect(new URL(protectedPage.headers()["location"], baseURL).origin).toBe(baseURL);
    for (const path of ["/api/auth/signin?callbackUrl=https%3A%2F%2Fevil.example", "/api/auth/signout?callbackUrl=%2F%2Fevil.example", "/api/auth/error?error=x&callbackUrl=https://evil.example"]) {
      const response = await request.get(path, { maxRedirects: 0, failOnStatusCode: false });
      expectNoServerError(response.status(), path);
      const location = response.headers()["location"];
      if (location) expect(new URL(location, baseURL).origin, path).toBe(baseURL);
    }
  });
});

test.describe("sessions (SPEC 5.2, ASVS 7.2.4, 7.4.1)", () => {
  test("a cookie planted before sign-in is replaced by a new session", async ({ page, context, baseURL }) => {
    const domain = new URL(baseURL!).hostname;
    await context.addCookies([{ name: "__Host-authjs.session-token", value: "planted-by-an-attacker", domain, path: "/", secure: true, httpOnly: true, sameSite: "Lax" }]);
    await page.goto("/login");
    await page.getByLabel("Email").fill(customerEmail(147, "active"));
    await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.old);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/account/);
    const session = (await context.cookies()).find((c) => c.name === "__Host-authjs.session-token");
    expect(session?.value).toBeTruthy();
    expect(session?.value).not.toBe("planted-by-an-attacker");
  });

  // Signing out moves the account's session version on: a cookie copied before is worthless after.
  test("a session cookie copied before sign-out no longer works after it", async ({ page, context, browser }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(customerEmail(148, "active"));
    await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.old);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/account/);
    const copied = (await context.cookies()).filter((c) => c.name.includes("authjs"));
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    const thief = await browser.newContext();
    expect(copied.length).toBeGreaterThan(0);
    await thief.addCookies(copied);
    const replay = await thief.request.get("/account", { maxRedirects: 0, failOnStatusCode: false });
    await thief.close();
    expect(replay.status(), "the copied cookie still opens /account").not.toBe(200);
  });
});
