// Issue 16, flow 2, with Chromium's virtual authenticator (CDP WebAuthn): a
// customer resets, adds a passkey, signs in with it (no password typed); an
// expiry leaves the passkey working; an expiry that clears passkeys does not,
// and the customer is sent to the reset.
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_PASSWORDS, customerEmail } from "./accounts";
import { expectNoAxeViolations, linkIn, signIn, waitForEmail } from "./helpers";

const NEW_PASSWORD = "Lantern-Quokka-7319-Ribbon";

async function withAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
}

async function resetAndSignIn(page: Page, request: APIRequestContext, email: string) {
  const since = new Date(Date.now() - 1000);
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists for that email");
  await page.goto(linkIn(await waitForEmail(request, email, /Set a new password/, since), "/reset-password/"));
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Your password has been changed.")).toBeVisible();
  await signIn(page, email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
}

async function expire(browser: Browser, email: string, clearPasskeys: boolean) {
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signIn(admin, E2E_ADMIN, E2E_PASSWORDS.admin);
  await expect(admin).not.toHaveURL(/\/login/);
  await admin.goto("/admin/expiry");
  await admin.getByLabel("A list of emails").check();
  await admin.getByLabel("Email addresses").fill(email);
  if (clearPasskeys) await admin.getByLabel("Also remove their passkeys").check();
  await admin.getByRole("button", { name: "Review" }).click();
  if (clearPasskeys) await expect(admin.getByText("Every passkey of these accounts is removed")).toBeVisible();
  await admin.getByRole("button", { name: "Expire passwords" }).click();
  await expect(admin.getByText(/Finished: \d+ passwords? expired/)).toBeVisible({ timeout: 15_000 });
  await context.close();
}

// Chromium's virtual authenticator answers the Email field's passkey autofill
// (conditional mediation) at once, so /login may sign in before the button is
// clicked; either way no password is typed.
async function signInWithPasskey(page: Page) {
  // Already on /login (a redirect), the autofill may be navigating away by
  // now: a second navigation would abort one of the two.
  if (!/\/login/.test(page.url())) {
    await page.goto("/login").catch((error: Error) => {
      if (!/ERR_ABORTED/.test(error.message)) throw error;
    });
  }
  await page.getByRole("button", { name: "Sign in with a passkey" }).click({ timeout: 3000 }).catch(() => {});
}

test("reset, add a passkey, sign in with it; it survives an expiry, not one that clears passkeys", async ({ browser, request }) => {
  const email = customerEmail(210, "expired");
  const context = await browser.newContext();
  const page = await context.newPage();
  await withAuthenticator(context, page);
  await resetAndSignIn(page, request, email);

  // The offer right after the reset, one click.
  await expect(page.getByRole("heading", { name: "Sign in without a password next time" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey added.")).toBeVisible();
  const keys = page.getByRole("region", { name: "Passkeys" });
  await expect(keys.getByRole("button", { name: "Remove" })).toHaveCount(1);
  await expect(page.getByRole("heading", { name: "Sign in without a password next time" })).toHaveCount(0);
  await expectNoAxeViolations(page);

  // Sign out, and back in with the passkey: no password typed.
  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInWithPasskey(page);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("region", { name: "Where you're signed in" }).getByText(/Signed in with a passkey/).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "Signed in with a passkey" }).first()).toBeVisible();

  // The incident team expires the password: the passkey still signs in, and the session is not blocked.
  await expire(browser, email, false);
  // The session opened before the expiry is blocked, like every other; a new passkey sign-in is not.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/account\/password-expired/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInWithPasskey(page);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();

  // An expiry that clears passkeys: this passkey session ends, and the passkey leads to the reset.
  await expire(browser, email, true);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
  await signInWithPasskey(page);
  await expect(page).toHaveURL(/\/forgot-password\?passkey=unknown/);
  await expect(page.getByRole("heading", { level: 1, name: "Reset your password" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "That passkey is no longer registered" })).toBeVisible();
  await context.close();
});

test("'Not now' dismisses the offer for good; the Passkeys section still adds one; a passkey can be renamed and removed", async ({ browser, request }) => {
  const email = customerEmail(211, "expired");
  const context = await browser.newContext();
  const page = await context.newPage();
  await withAuthenticator(context, page);
  await resetAndSignIn(page, request, email);
  await page.getByRole("button", { name: "Not now" }).click();
  await expect(page.getByRole("heading", { name: "Sign in without a password next time" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sign in without a password next time" })).toHaveCount(0);
  const keys = page.getByRole("region", { name: "Passkeys" });
  await keys.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Passkey added.")).toBeVisible();
  await keys.getByLabel("Passkey name").fill("Work laptop");
  await keys.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByText("The passkey was renamed.")).toBeVisible();
  await expect(keys.getByText("Work laptop", { exact: true })).toBeVisible();
  await keys.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByText("The passkey was removed.")).toBeVisible();
  await expect(keys.getByText("You have no passkeys yet.")).toBeVisible();
  await expect(page.getByRole("cell", { name: "A passkey was removed" })).toBeVisible();
  await context.close();
});

test("/login offers a passkey and autofill on the Email field (axe clean)", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("autocomplete", "username webauthn");
  await expectNoAxeViolations(page);
});

test("without JavaScript the passkey buttons are absent and password sign-in still works", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toHaveCount(0);
  await signIn(page, customerEmail(212, "active"), E2E_PASSWORDS.old);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("region", { name: "Passkeys" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add a passkey" })).toHaveCount(0);
  await context.close();
});
