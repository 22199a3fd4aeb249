// SPEC 4.2–4.6 in Chromium, through the accessible names of SPEC 3.
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_PASSWORDS, customerEmail } from "./accounts";
import { expectNoAxeViolations, linkIn, readMailbox, signIn, waitForEmail } from "./helpers";

const RESET_SUBJECT = /Set a new password/;
const NEW_PASSWORD = "violet kettles hum at midnight";

async function requestLink(page: Page, email: string) {
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists for that email");
  return (await page.getByRole("status").textContent())!;
}

test("an expired password never signs in, with the same words as an unknown email", async ({ page }) => {
  await signIn(page, customerEmail(1, "expired"), E2E_PASSWORDS.old);
  const answer = page.getByRole("main").getByRole("alert");
  const expiredAnswer = await answer.textContent();
  expect(expiredAnswer).toBe("Email or password is incorrect.");
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, "nobody-at-all@example.com", E2E_PASSWORDS.old);
  await expect(answer).toHaveText(expiredAnswer!);

  await signIn(page, customerEmail(2, "active"), "a wrong password entirely");
  await expect(answer).toHaveText(expiredAnswer!);

  // The page always carries the note and the way to reset.
  await expect(page.getByText(/We reset every customer password on/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Forgot your password?" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("forgot password answers the same for known and unknown addresses; only the known one gets mail", async ({
  page,
  request,
}) => {
  const known = customerEmail(3, "expired");
  const unknown = "never-registered-3@example.com";
  const knownAnswer = await requestLink(page, known);
  const unknownAnswer = await requestLink(page, unknown);
  expect(unknownAnswer).toBe(knownAnswer);
  await waitForEmail(request, known, RESET_SUBJECT);
  // Give the unknown address the same time to (not) receive anything.
  await page.waitForTimeout(1000);
  expect(await readMailbox(request, unknown)).toEqual([]);
  await expectNoAxeViolations(page);
});

test("the whole reset: link out of the URL, each refusal by its field, success, old links dead", async ({
  page,
  request,
}) => {
  const email = customerEmail(4, "expired");
  await requestLink(page, email);
  const first = linkIn(await waitForEmail(request, email, RESET_SUBJECT), "/reset-password/");
  const since = new Date();
  await requestLink(page, email);
  let second = first;
  await expect
    .poll(async () => {
      const emails = await readMailbox(request, email);
      second = linkIn(emails[0], "/reset-password/");
      return second !== first;
    })
    .toBe(true);
  expect(since).toBeTruthy();

  const landing = page.waitForResponse((r) => new URL(r.url()).pathname === "/reset-password" && r.status() === 200);
  await page.goto(second);
  const response = await landing;
  expect(page.url()).toMatch(/\/reset-password$/);
  expect(page.url()).not.toContain(new URL(second).pathname.split("/").pop()!);
  expect(response.headers()["referrer-policy"]).toBe("no-referrer");
  expect(response.headers()["cache-control"]).toContain("no-store");
  await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
  await expectNoAxeViolations(page);

  const newPassword = page.getByLabel("New password", { exact: true });
  const confirm = page.getByLabel("Confirm new password");
  const submit = page.getByRole("button", { name: "Set new password" });
  const refusals: [string, string, RegExp][] = [
    ["short one", "short one", /at least 15 characters/],
    ["passwordpassword", "passwordpassword", /too common/],
    ["expired-004 is my new one", "expired-004 is my new one", /email name/],
    [E2E_PASSWORDS.old, E2E_PASSWORDS.old, /current password/],
    [NEW_PASSWORD, NEW_PASSWORD + "!", /do not match/],
  ];
  for (const [password, again, reason] of refusals) {
    await newPassword.fill(password);
    await confirm.fill(again);
    await submit.click();
    const field = reason.source.includes("match") ? confirm : newPassword;
    await expect(field).toHaveAttribute("aria-invalid", "true");
    const describedBy = (await field.getAttribute("aria-describedby"))!;
    await expect(page.locator(`[id="${describedBy.split(" ").pop()}"]`)).toContainText(reason);
    await expect(page).toHaveURL(/\/reset-password$/);
  }

  await newPassword.fill(NEW_PASSWORD);
  await confirm.fill(NEW_PASSWORD);
  await submit.click();
  await expect(page).toHaveURL(/\/login\?changed=1/);
  await expect(page.getByRole("status")).toHaveText(
    "Your password has been changed. Sign in with your new password.",
  );
  await waitForEmail(request, email, /Your password was changed/);
  const changedMail = (await readMailbox(request, email)).find((m) => /was changed/.test(m.subject))!;
  expect(changedMail.text).not.toContain(NEW_PASSWORD);

  await signIn(page, email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Security activity" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Password changed" })).toBeVisible();
  await expectNoAxeViolations(page);

  for (const link of [second, first]) {
    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1, name: "This link is invalid or has expired" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Send me a new link" })).toHaveCount(0);
  }
  await expectNoAxeViolations(page);
});

test("signed-out visitors of protected pages go to sign in and come back, never elsewhere", async ({ page }) => {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount/);
  await page.getByLabel("Email").fill(customerEmail(5, "active"));
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.old);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);

  await page.context().clearCookies();
  await page.goto("/login?next=https://evil.example/");
  await page.getByLabel("Email").fill(customerEmail(5, "active"));
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.old);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/localhost:\d+\/account$/);
});

test("the forgot-password and reset forms work without JavaScript", async ({ browser, request }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const email = customerEmail(6, "expired");
  await requestLink(page, email);
  const link = linkIn(await waitForEmail(request, email, RESET_SUBJECT), "/reset-password/");
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Confirm new password").fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/at least 15 characters \(you have 5\)/)).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?changed=1/);
  await context.close();
});

test("link requests past the limit get a friendly 429 with Retry-After, and no lock-out", async ({ page }) => {
  const email = customerEmail(7, "expired");
  for (let i = 0; i < 5; i++) await requestLink(page, email);
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  const limited = page.waitForResponse((r) => new URL(r.url()).pathname === "/rate-limited");
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  const response = await limited;
  expect(response.status()).toBe(429);
  expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  await expect(page.getByRole("heading", { name: "Please wait a moment" })).toBeVisible();
  await expect(page.getByText(/Nothing is locked/)).toBeVisible();
});

test("a session opened before the expiry is blocked everywhere, can only email a link, and dies after the reset", async ({
  browser,
  request,
}) => {
  const email = customerEmail(8, "active");
  const customer = await browser.newContext();
  const old = await customer.newPage();
  await signIn(old, email, E2E_PASSWORDS.old);
  await expect(old).toHaveURL(/\/account$/);

  // The incident team expires this account's password.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, E2E_ADMIN, E2E_PASSWORDS.admin);
  await expect(admin).not.toHaveURL(/\/login/);
  await admin.goto("/admin/expiry");
  await admin.getByLabel("A list of emails").check();
  await admin.getByLabel("Email addresses").fill(email);
  await admin.getByRole("button", { name: "Review" }).click();
  await admin.getByRole("button", { name: "Expire passwords" }).click();
  await expect(admin.getByText("Finished: 1 passwords expired.")).toBeVisible({ timeout: 15_000 });
  await adminContext.close();

  // Every protected page of the old session now leads to the expired page.
  for (const path of ["/account", "/", "/support", "/admin", "/login"]) {
    await old.goto(path);
    await expect(old, path).toHaveURL(/\/account\/password-expired$/);
  }
  await expect(old.getByRole("heading", { level: 1, name: "Your password has expired" })).toBeVisible();
  await expect(old.getByRole("link", { name: "our notice", exact: true })).toHaveAttribute("href", "/notice");
  await expect(old.getByText(/ac\*+@customers\.example\.com/)).toBeVisible();
  await expectNoAxeViolations(old);
  // Pages SPEC 4.3 leaves open stay open.
  await old.goto("/notice");
  await expect(old.getByRole("heading", { level: 1, name: "Notice of Data Breach" })).toBeVisible();
  // Actions and API calls are refused with 403.
  const api = await old.request.post("/account", { headers: { "next-action": "x" }, data: "" });
  expect(api.status()).toBe(403);

  const since = new Date();
  await old.goto("/account/password-expired");
  await old.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(old.getByRole("status")).toContainText("We have sent a link to ac");
  const link = linkIn(await waitForEmail(request, email, RESET_SUBJECT, since), "/reset-password/");

  // The customer resets from the email, in another browser.
  const fresh = await browser.newContext();
  const tab = await fresh.newPage();
  await tab.goto(link);
  await tab.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await tab.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await tab.getByRole("button", { name: "Set new password" }).click();
  await expect(tab).toHaveURL(/\/login\?changed=1/);
  await fresh.close();

  // The old session is now dead: signed out, its cookie cleared.
  await old.goto("/account");
  await expect(old).toHaveURL(/\/login\?next=%2Faccount/);
  const cookies = await customer.cookies();
  expect(cookies.some((c) => c.name.includes("session-token"))).toBe(false);
  await customer.close();
});

test("session cookies are HttpOnly, SameSite=Lax and Secure in production, new at each sign-in", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, customerEmail(9, "active"), E2E_PASSWORDS.old);
  await expect(page).toHaveURL(/\/account$/);
  const first = (await context.cookies()).find((c) => c.name.includes("session-token"))!;
  expect(first).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true });
  await signIn(page, customerEmail(9, "active"), E2E_PASSWORDS.old);
  await expect(page).toHaveURL(/\/account$/);
  const second = (await context.cookies()).find((c) => c.name.includes("session-token"))!;
  expect(second.value).not.toBe(first.value);
  await context.close();
});
