// SPEC 5.9 and 5.1 end to end. The sign-in and reset flows run in Chromium
// while every response is kept; then the responses and the server's captured
// log (E2E_SERVER_LOG, e2e/server.ts) are searched for the passwords and
// tokens used. And the timing of sign-in and forgot-password for known and
// unknown addresses: medians printed, identical answers asserted.
// Customers 150-179.
import fs from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_PASSWORDS, customerEmail } from "./accounts";
import { captureAction, replayAction } from "./abuse-helpers";
import { readMailbox, waitForEmail } from "./helpers";
import { serverLogPath } from "./server-log";

const NEW_PASSWORD = "quiet orchards under falling snow";
const WRONG_PASSWORD = "definitely-not-it sorry 9";

type Seen = { url: string; body: string };

function keepResponses(page: Page, seen: Seen[]) {
  page.on("response", async (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith("/dev/mailbox")) return; // the emails, by design, carry the link
    try {
      seen.push({ url: response.url(), body: (await response.body()).toString("utf8") });
    } catch {
      // redirects and aborted requests have no body
    }
  });
}

async function tokenFromMail(request: APIRequestContext, email: string) {
  const mail = await waitForEmail(request, email, /Set a new password/);
  const url = /https?:\/\/\S+\/reset-password\/([A-Za-z0-9_-]{43})/.exec(mail.text);
  expect(url).not.toBeNull();
  return { url: url![0], token: url![1] };
}

test("no password or token in any page, action answer or server log after the flows", async ({ page, request }) => {
  const seen: Seen[] = [];
  keepResponses(page, seen);
  const active = customerEmail(150, "active");
  const expired = customerEmail(151, "expired");

  // Sign-in: wrong, then right; the account page.
  for (const password of [WRONG_PASSWORD, E2E_PASSWORDS.old]) {
    await page.goto("/login");
    await page.getByLabel("Email").fill(active);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    if (password === WRONG_PASSWORD) await expect(page.getByRole("main").getByRole("alert")).toHaveText("Email or password is incorrect.");
    else await expect(page).toHaveURL(/\/account/);
  }
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await page.context().clearCookies();

  // Expired password refused; the reset flow; sign in with the new password.
  await page.goto("/login");
  await page.getByLabel("Email").fill(expired);
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.old);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Email or password is incorrect.");
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(expired);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists");
  const link = await tokenFromMail(request, expired);
  await page.goto(link.url);
  await expect(page).toHaveURL(/\/reset-password$/);
  await page.getByLabel("New password", { exact: true }).fill(E2E_PASSWORDS.old); // refused: the current one
  await page.getByLabel("Confirm new password").fill(E2E_PASSWORDS.old);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/current password/)).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password has been changed.");
  // Replaying the used link: invalid, and the token is still nowhere on the page.
  await page.goto(link.url);
  await expect(page.getByRole("heading", { level: 1, name: "This link is invalid or has expired" })).toBeVisible();
  await page.goto("/login");
  await page.getByLabel("Email").fill(expired);
  await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/account/);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();

  const secrets = {
    "old password": E2E_PASSWORDS.old,
    "admin password": E2E_PASSWORDS.admin,
    "agent password": E2E_PASSWORDS.agent,
    "new password": NEW_PASSWORD,
    "wrong password": WRONG_PASSWORD,
    token: link.token,
  };
  expect(seen.length).toBeGreaterThan(15);
  for (const { url, body } of seen) {
    for (const [name, secret] of Object.entries(secrets)) {
      // The emailed link itself is the only URL that may hold the token.
      if (name === "token" && new URL(url).pathname === `/reset-password/${link.token}`) continue;
      expect(body.includes(secret), `${name} in the response of ${url}`).toBe(false);
    }
  }
  // The emails: the link, never a password.
  for (const mail of [...(await readMailbox(request, expired)), ...(await readMailbox(request, active))]) {
    for (const [name, secret] of Object.entries(secrets)) {
      if (name !== "token") expect(mail.text + mail.html, `${name} in "${mail.subject}"`).not.toContain(secret);
    }
  }
  // The server's log of this whole run (every spec before this one included).
  const logFile = serverLogPath();
  expect(fs.existsSync(logFile), `server log at ${logFile}`).toBe(true);
  await page.waitForTimeout(500);
  const log = fs.readFileSync(logFile, "utf8");
  expect(log).toContain("Reset Desk listening");
  for (const [name, secret] of Object.entries(secrets)) expect(log.includes(secret), `${name} in the server log`).toBe(false);
  expect(log).not.toMatch(/\$argon2id\$/);
  expect(log).not.toMatch(/authjs\.session-token=|__Secure-authjs|__Host-authjs/);
});

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

test("enumeration: sign-in and forgot-password answer known and unknown addresses alike (timing reported)", async ({ page, request }) => {
  test.setTimeout(180_000);
  const tries = 12;
  await page.goto("/login");
  const signIn = await captureAction(page, async () => {
    await page.getByLabel("Email").fill("capture-timing@example.com");
    await page.getByLabel("Password", { exact: true }).fill(WRONG_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
  });
  await page.goto("/forgot-password");
  const forgot = await captureAction(page, async () => {
    await page.getByLabel("Email").fill("capture-timing@example.com");
    await page.getByRole("button", { name: "Email me a reset link" }).click();
  });

  const timings: Record<string, number[]> = {};
  const answers: Record<string, Set<string>> = {};
  async function time(kind: string, send: () => ReturnType<typeof replayAction>, email: string) {
    const started = performance.now();
    const response = await send();
    (timings[kind] ??= []).push(performance.now() - started);
    const body = (await response.text()).replaceAll(email, "<email>");
    (answers[kind.split(":")[0]] ??= new Set()).add(`${response.status()} ${body}`);
  }
  for (let i = 0; i < tries; i++) {
    const n = 160 + i;
    const unknown = `nobody-${Date.now()}-${i}@example.com`;
    // Interleaved, so that drift in the machine's load hits every kind alike.
    await time("sign-in:known (active, wrong password)", () => replayAction(request, signIn, { email: customerEmail(n, "active"), password: WRONG_PASSWORD }), customerEmail(n, "active"));
    await time("sign-in:known (expired, right password)", () => replayAction(request, signIn, { email: customerEmail(n, "expired"), password: E2E_PASSWORDS.old }), customerEmail(n, "expired"));
    await time("sign-in:unknown", () => replayAction(request, signIn, { email: unknown, password: WRONG_PASSWORD }), unknown);
    await time("forgot:known", () => replayAction(request, forgot, { email: customerEmail(n + 10 > 179 ? n : n + 10, "expired") }), customerEmail(n + 10 > 179 ? n : n + 10, "expired"));
    await time("forgot:unknown", () => replayAction(request, forgot, { email: unknown }), unknown);
  }
  const medians = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(median(v) * 10) / 10]));
  const report = [
    `enumeration timing over ${tries} tries each (median ms):`,
    ...Object.entries(medians).map(([k, v]) => `  ${k}: ${v}`),
    `  sign-in known−unknown: ${(medians["sign-in:known (active, wrong password)"] - medians["sign-in:unknown"]).toFixed(1)} ms; expired−unknown: ${(medians["sign-in:known (expired, right password)"] - medians["sign-in:unknown"]).toFixed(1)} ms`,
    `  forgot known−unknown: ${(medians["forgot:known"] - medians["forgot:unknown"]).toFixed(1)} ms`,
  ].join("\n");
  console.log(report);
  test.info().annotations.push({ type: "timing", description: report });
  // The same answer, byte for byte once the typed address is blanked: the
  // work that shows is the same (the lookup and email run after the answer).
  expect(answers["sign-in"].size, [...answers["sign-in"]].join("\n---\n").slice(0, 2000)).toBe(1);
  expect(answers["forgot"].size, [...answers["forgot"]].join("\n---\n").slice(0, 2000)).toBe(1);
});
