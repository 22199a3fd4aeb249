// Issue 16, flow 1: where you're signed in. Two browsers (contexts) share an
// account; ending one kills only that one; "Sign out everywhere else" keeps
// this one; the header's sign-out leaves the other browser signed in.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_AGENT, E2E_PASSWORDS, customerEmail } from "./accounts";
import { expectNoAxeViolations, signIn } from "./helpers";

async function signedIn(browser: Browser, email: string, password: string = E2E_PASSWORDS.old, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/account$/);
  return page;
}

const devices = (page: Page) => page.getByRole("region", { name: "Where you're signed in" });
const otherDevices = (page: Page) => devices(page).getByRole("listitem").filter({ hasNot: page.getByText("This device") });

test("two browsers: list both, end the other, sign out everywhere else, header sign-out ends only this one", async ({ browser }) => {
  const email = customerEmail(201, "active");
  const first = await signedIn(browser, email);
  const second = await signedIn(browser, email);

  await first.goto("/account");
  await expect(first.getByRole("heading", { level: 2, name: "Where you're signed in" })).toBeVisible();
  await expect(devices(first).getByRole("listitem")).toHaveCount(2);
  await expect(devices(first).getByText("This device")).toHaveCount(1);
  await expect(devices(first).getByText(/Signed in with a password/).first()).toBeVisible();
  await expectNoAxeViolations(first);

  // End the other one: it is at /login on its next page, and this one lives on.
  await otherDevices(first).getByRole("button", { name: "Sign out" }).click();
  await expect(first.getByRole("status").filter({ hasText: "That device was signed out." })).toBeVisible();
  await expect(devices(first).getByRole("listitem")).toHaveCount(1);
  await second.goto("/account");
  await expect(second).toHaveURL(/\/login/);

  // Two more; "Sign out everywhere else" ends them both.
  const third = await signedIn(browser, email);
  await signIn(second, email, E2E_PASSWORDS.old);
  await expect(second).toHaveURL(/\/account$/);
  await first.goto("/account");
  await expect(devices(first).getByRole("listitem")).toHaveCount(3);
  await devices(first).getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(first.getByRole("status").filter({ hasText: "You were signed out everywhere else." })).toBeVisible();
  await expect(devices(first).getByRole("listitem")).toHaveCount(1);
  await expect(devices(first).getByText("You are not signed in anywhere else.")).toBeVisible();
  for (const page of [second, third]) {
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login/);
  }

  // The header's sign-out ends this session only.
  await signIn(second, email, E2E_PASSWORDS.old);
  await expect(second).toHaveURL(/\/account$/);
  await first.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
  await expect(first).toHaveURL(/\/login/);
  await first.goto("/account");
  await expect(first).toHaveURL(/\/login/);
  await second.goto("/account");
  await expect(second).toHaveURL(/\/account$/);
  await expect(devices(second).getByRole("listitem")).toHaveCount(1);
  // The activity names how each session ended.
  await expect(second.getByRole("cell", { name: "Signed out everywhere else" })).toBeVisible();
  await expect(second.getByRole("cell", { name: "Signed out on one device" })).toBeVisible();
});

test("without JavaScript a device can still be signed out", async ({ browser }) => {
  const email = customerEmail(202, "active");
  const noScript = await signedIn(browser, email, E2E_PASSWORDS.old, false);
  const other = await signedIn(browser, email);
  await noScript.goto("/account");
  await expect(devices(noScript).getByRole("listitem")).toHaveCount(2);
  await otherDevices(noScript).getByRole("button", { name: "Sign out" }).click();
  await expect(noScript.getByText("That device was signed out.")).toBeVisible();
  await other.goto("/account");
  await expect(other).toHaveURL(/\/login/);
});

test("agents see how many sessions are live, never their ids, and can end them all (audited)", async ({ browser }) => {
  const email = customerEmail(203, "active");
  const customer = await signedIn(browser, email);
  await signedIn(browser, email);
  const agent = await signedIn(browser, E2E_AGENT, E2E_PASSWORDS.agent);
  await agent.goto("/support");
  await agent.getByLabel("Customer email").fill(email);
  await agent.getByRole("button", { name: "Find customer" }).click();
  await expect(agent.getByRole("heading", { level: 1, name: email })).toBeVisible();
  await expect(agent.getByText("2 live sessions")).toBeVisible();
  await expect(agent.locator("input[name=sessionId]")).toHaveCount(0);
  await expectNoAxeViolations(agent);
  await agent.getByRole("button", { name: "End all sessions" }).click();
  await expect(agent.getByText("2 sessions were ended.")).toBeVisible();
  await agent.reload();
  await expect(agent.getByText("0 live sessions")).toBeVisible();
  // Audited, naming the agent.
  await expect(agent.getByRole("row").filter({ hasText: "Sessions ended" }).filter({ hasText: E2E_AGENT }).first()).toBeVisible();
  await customer.goto("/account");
  await expect(customer).toHaveURL(/\/login/);
});
