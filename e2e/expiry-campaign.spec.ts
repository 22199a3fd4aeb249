// An admin expires passwords for a list of emails, starts a campaign to them,
// watches its progress; a customer follows the emailed link and resets.
// Customers 060-099 belong to this file (e2e/accounts.ts).
import { expect, test } from "@playwright/test";
import { customerEmail, E2E_ADMIN, E2E_PASSWORDS } from "./accounts";
import { expectNoAxeViolations, linkIn, signIn, waitForEmail } from "./helpers";

test("an admin expires passwords, runs the campaign, and a customer resets from the email", async ({ page, request }) => {
  const customers = [customerEmail(60, "active"), customerEmail(61, "active")];
  await signIn(page, E2E_ADMIN, E2E_PASSWORDS.admin);
  await expect(page).not.toHaveURL(/\/login/);

  // The expiry, with its confirmation step.
  await page.goto("/admin/expiry");
  await expect(page.getByRole("heading", { level: 1, name: "Expire passwords" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("A list of emails").check();
  await page.getByLabel("Email addresses").fill(customers.join("\n"));
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByText("This will expire the passwords of 2 accounts")).toBeVisible();
  await page.getByRole("button", { name: "Expire passwords" }).click();
  await expect(page.getByText("Finished: 2 passwords expired.")).toBeVisible({ timeout: 15_000 });
  await expectNoAxeViolations(page);

  // The old (breached) password of an expired account no longer signs in.
  const other = await page.context().browser()!.newContext();
  const otherTab = await other.newPage();
  await signIn(otherTab, customers[1], E2E_PASSWORDS.old);
  await expect(otherTab.getByRole("main").getByRole("alert")).toHaveText("Email or password is incorrect.");
  await other.close();

  // The campaign to those two customers.
  const name = `Notice e2e ${Date.now()}`;
  await page.goto("/admin/campaigns");
  await page.getByLabel("Campaign name").fill(name);
  await page.getByLabel("A list of emails").check();
  await page.getByLabel("Email addresses (for a list)").fill(customers.join(", "));
  await page.getByRole("button", { name: "Create campaign" }).click();
  await expect(page.getByText(/Campaign \d+ created/)).toBeVisible();
  const section = page.getByRole("region", { name: new RegExp(name) });
  await section.getByRole("button", { name: "Start campaign" }).click();
  await expect(section.getByTestId("campaign-status")).toHaveText("completed", { timeout: 30_000 });
  await expect(section.getByText("Recipients done: 2 of 2")).toBeVisible();
  await expectNoAxeViolations(page);

  // The dashboard counts the notices.
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Incident dashboard" })).toBeVisible();
  await expect(page.getByTestId("count-emailed")).not.toHaveText("0");
  await expectNoAxeViolations(page);

  // The customer's email: the notice with a personal link (the reset pages are the lead's).
  const email = await waitForEmail(request, customers[0], /Notice of Data Breach/);
  expect(email.text).toMatch(/What Information Was Involved/i);
  expect(email.text).toMatch(/change it there too/);
  const link = linkIn(email, "/reset-password/");

  const customer = await page.context().browser()!.newContext();
  const tab = await customer.newPage();
  await tab.goto(link);
  await expect(tab.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
  const fresh = "a brand new harbour passphrase 60";
  await tab.getByLabel("New password", { exact: true }).fill(fresh);
  await tab.getByLabel("Confirm new password").fill(fresh);
  await tab.getByRole("button", { name: "Set new password" }).click();
  await expect(tab.getByText("Your password has been changed. Sign in with your new password.")).toBeVisible();
  await signIn(tab, customers[0], fresh);
  await expect(tab).not.toHaveURL(/\/login/);
  await customer.close();
});
