// Issue 15, section 3: the forced reset refuses leaked and generated passwords
// with the reason by the field, with JavaScript and without; the million-entry
// corpus stays on the server.
import { expect, test, type Page } from "@playwright/test";
import { customerEmail } from "./accounts";
import { expectNoAxeViolations, expectNoAxeViolationsWithoutJs, linkIn, waitForEmail } from "./helpers";

const RESET_SUBJECT = /Set a new password/;
// In the corpus, but neither in the browser's small list nor a pattern: only the server refuses it.
const CORPUS_ONLY = "PerAsperaAdAstra";

async function openResetForm(page: Page, request: Parameters<typeof waitForEmail>[0], email: string) {
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists for that email");
  await page.goto(linkIn(await waitForEmail(request, email, RESET_SUBJECT), "/reset-password/"));
  await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
}

async function submitAndExpectReason(page: Page, password: string, reason: RegExp) {
  const field = page.getByLabel("New password", { exact: true });
  await field.fill(password);
  await page.getByLabel("Confirm new password").fill(password);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await field.getAttribute("aria-describedby"))!.split(" ");
  await expect(page.locator(`[id="${describedBy.at(-1)}"]`)).toContainText(reason);
  await expect(page).toHaveURL(/\/reset-password$/);
}

test("the forced reset refuses 123123123123123 and a leaked password by the field, with JavaScript", async ({ page, request }) => {
  const scripts: string[] = [];
  page.on("response", async (response) => {
    if (response.request().resourceType() === "script") scripts.push(await response.text().catch(() => ""));
  });
  await openResetForm(page, request, customerEmail(36, "expired"));
  let posts = 0;
  page.on("request", (r) => void (r.method() === "POST" && posts++));

  // The browser knows the pattern and answers at once, without asking the server.
  await submitAndExpectReason(page, "123123123123123", /repeats the same characters/);
  expect(posts).toBe(0);
  await expectNoAxeViolations(page);

  // The browser's list lacks this one; the server's corpus refuses it.
  await submitAndExpectReason(page, CORPUS_ONLY, /list of a million leaked passwords/);
  expect(posts).toBe(1);
  await expectNoAxeViolations(page);

  // No script the page loaded carries the corpus (this entry is in it, not in the small list).
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((s) => s.toLowerCase().includes(CORPUS_ONLY.toLowerCase()))).toEqual([]);
  expect(scripts.filter((s) => s.includes("10_million_password_list"))).toEqual([]);

  await submitAndExpectReason(page, "qwertyuiopasdfg", /walk along the keyboard/);
  const good = "Lantern-Quokka-7319-Ribbon";
  await page.getByLabel("New password", { exact: true }).fill(good);
  await page.getByLabel("Confirm new password").fill(good);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?changed=1/);
});

test("without JavaScript the server gives the same reasons by the field", async ({ browser, request }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await openResetForm(page, request, customerEmail(37, "expired"));

  await submitAndExpectReason(page, "123123123123123", /repeats the same characters/);
  await expectNoAxeViolationsWithoutJs(browser, page, "Choose a new password");
  await submitAndExpectReason(page, "123451234512345", /repeats the same characters/);
  await submitAndExpectReason(page, CORPUS_ONLY, /list of a million leaked passwords/);
  await submitAndExpectReason(page, "!!!!Summer2024!!", /common password with a few characters added/);
  await expectNoAxeViolationsWithoutJs(browser, page, "Choose a new password");

  const good = "Mellow-Turnip-Gazebo-41-Quince";
  await page.getByLabel("New password", { exact: true }).fill(good);
  await page.getByLabel("Confirm new password").fill(good);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?changed=1/);
  await context.close();
});
