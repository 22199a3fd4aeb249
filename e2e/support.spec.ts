// The support desk end to end (issue 6, SPEC 4.7). Customers 100-139 only.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_AGENT, E2E_PASSWORDS, customerEmail } from "./accounts";
import { expectNoAxeViolations, linkIn, readMailbox, signIn, waitForEmail } from "./helpers";

async function sendContactMessage(page: Page, input: { email: string; name: string; message: string }) {
  await page.goto("/support/contact");
  await expect(page.getByRole("heading", { level: 1, name: "Contact support" })).toBeVisible();
  await page.getByLabel("Email").fill(input.email);
  await page.getByLabel("Name").fill(input.name);
  await page.getByLabel("Message").fill(input.message);
  await page.getByRole("button", { name: "Send message" }).click();
  const status = page.getByRole("status").filter({ hasText: "reference" });
  await expect(status).toBeVisible();
  const reference = (await status.textContent())?.match(/RD-[0-9A-Z]{8}/)?.[0];
  expect(reference, "a request reference in the status").toBeTruthy();
  return reference!;
}

async function signedInPage(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** Opens a request from the open queue by its reference (searched for: the queue pages by 50). */
async function openRequest(agent: Page, reference: string) {
  await agent.goto(`/support?filter=open&q=${reference}`);
  await agent.getByRole("link", { name: reference }).click();
  await expect(agent.getByRole("heading", { level: 1, name: `Request ${reference}` })).toBeVisible();
}

test.describe("signed out", () => {
  test("the contact form answers with a reference and a confirmation email, the same for unknown addresses", async ({
    page,
    request,
  }) => {
    const known = customerEmail(100, "active");
    const unknown = `nobody-${Date.now()}@nowhere.example.com`;
    const started = new Date(Date.now() - 1000);
    const first = await sendContactMessage(page, { email: known, name: "Known Customer", message: "Help me please" });
    const firstStatus = (await page.getByRole("status").filter({ hasText: "reference" }).textContent())!.replace(first, "REF");
    const second = await sendContactMessage(page, { email: unknown, name: "Someone", message: "Help me please" });
    const secondStatus = (await page.getByRole("status").filter({ hasText: "reference" }).textContent())!.replace(second, "REF");
    expect(secondStatus).toBe(firstStatus);
    for (const [to, reference] of [
      [known, first],
      [unknown, second],
    ]) {
      const email = await waitForEmail(request, to, /We received your message/, started);
      expect(email.subject).toContain(reference);
      expect(email.text).not.toContain("Help me please");
    }
  });

  test("the contact form shows errors by the fields and passes axe", async ({ page }) => {
    await page.goto("/support/contact");
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Send message" }).click();
    await expect(page.getByText("Enter an email address.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);
  });

  test("too many messages from one address get the friendly 429 page, not a lock-out", async ({ page }) => {
    const email = customerEmail(107, "active");
    // The per-address limit is 5 a window (RATE_LIMIT_CONTACT_PER_ADDRESS).
    for (let i = 0; i < 5; i++) await sendContactMessage(page, { email, name: "Busy", message: `Message ${i}` });
    await page.goto("/support/contact");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Name").fill("Busy");
    await page.getByLabel("Message").fill("One too many");
    const answer = page.waitForResponse((r) => r.url().includes("/rate-limited"));
    await page.getByRole("button", { name: "Send message" }).click();
    const response = await answer;
    expect(response.status()).toBe(429);
    expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
    await expect(page.getByRole("heading", { name: "Please wait a moment" })).toBeVisible();
  });

  test("desk pages send signed-out visitors to sign in", async ({ page }) => {
    for (const path of ["/support", "/support/customers?q=a", "/support/customers/1", "/support/requests/1", "/support/bulk", "/admin/agents", "/admin/topics"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login/);
      // and bring them back where they were going
      if (path.startsWith("/support")) expect(new URL(page.url()).searchParams.get("next"), path).toBe(path);
    }
  });
});

test.describe("with sign-in", () => {
  test("a request is claimed, answered by email and resolved", async ({ page, browser, request }) => {
    const customer = customerEmail(101, "active");
    const started = new Date(Date.now() - 1000);
    const reference = await sendContactMessage(page, {
      email: customer,
      name: "Robin Customer",
      message: "My password does not work since the incident.",
    });
    await waitForEmail(request, customer, /We received your message/, started);

    const agent = await signedInPage(browser, E2E_AGENT, E2E_PASSWORDS.agent);
    await agent.goto(`/support?q=${reference}`);
    await expect(agent.getByRole("heading", { level: 1, name: "Support desk" })).toBeVisible();
    await expect(agent.getByRole("heading", { level: 2, name: "Requests" })).toBeVisible();
    const row = agent.getByRole("row").filter({ hasText: reference });
    await expect(row).toContainText("Unassigned");
    await row.getByRole("button", { name: `Claim ${reference}` }).click();
    await expect(agent.getByRole("status").filter({ hasText: "You claimed the request." })).toBeVisible();
    await expect(agent.getByRole("row").filter({ hasText: reference })).toContainText("You");

    await openRequest(agent, reference);
    await expect(agent.getByText("My password does not work since the incident.")).toBeVisible();
    await agent.getByLabel("Reply").fill("We have sent a link to the address on file. Reply 7731.");
    await agent.getByRole("button", { name: "Send reply" }).click();
    await expect(agent.getByText("Reply sent.")).toBeVisible();
    const reply = await waitForEmail(request, customer, /Re: your support request/, started);
    expect(reply.text).toContain("Reply 7731.");
    expect(reply.subject).toContain(reference);

    await agent.getByRole("button", { name: "Mark resolved" }).click();
    await expect(agent.getByRole("status").filter({ hasText: "The request is resolved." })).toBeVisible();
    await agent.goto(`/support?filter=open&q=${reference}`);
    await expect(agent.getByRole("link", { name: reference })).toHaveCount(0);
    await agent.goto(`/support?filter=resolved&q=${reference}`);
    await expect(agent.getByRole("link", { name: reference })).toBeVisible();
    await agent.context().close();
  });

  test("an agent sends a reset link to the email on file and sees the reset in the activity", async ({
    browser,
    page,
    request,
  }) => {
    const customer = customerEmail(102, "expired");
    const agent = await signedInPage(browser, E2E_AGENT, E2E_PASSWORDS.agent);
    await agent.goto("/support");
    await agent.getByLabel("Customer email").fill(customer);
    await agent.getByRole("button", { name: "Find customer" }).click();
    await expect(agent.getByRole("heading", { level: 1, name: customer })).toBeVisible();
    await expect(agent.getByRole("heading", { level: 2, name: "Password status" })).toBeVisible();
    await expect(agent.getByText("never proof of identity")).toBeVisible();
    // No way to see or set a password, or change the email.
    await expect(agent.locator("input[type=password]")).toHaveCount(0);
    await expect(agent.getByRole("textbox")).toHaveCount(0);
    await expectNoAxeViolations(agent);

    const started = new Date(Date.now() - 1000);
    await agent.getByRole("button", { name: "Send reset link" }).click();
    await expect(agent.getByText("A reset link was sent to the email on file.")).toBeVisible();
    expect(await agent.content()).not.toMatch(/reset-password\//);

    const email = await waitForEmail(request, customer, /set a new password/i, started);
    await page.goto(linkIn(email, "/reset-password/"));
    await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
    const newPassword = "pebble orchard evening rain 7";
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Confirm new password").fill(newPassword);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/login/);

    await agent.reload();
    const activity = agent.getByRole("table", { name: "Activity" });
    await expect(activity.getByRole("row").filter({ hasText: "Reset link sent" }).first()).toContainText(E2E_AGENT);
    await expect(activity.getByRole("row").filter({ hasText: "Password changed" }).first()).toBeVisible();
    await expect(agent.getByText("Not expired")).toBeVisible();
    await agent.context().close();
  });

  test("customers get 403 on the desk; agents get 403 on admin pages", async ({ browser }) => {
    const customer = await signedInPage(browser, customerEmail(103, "active"), E2E_PASSWORDS.old);
    for (const path of ["/support", "/support/customers?q=a", "/support/customers/1", "/support/requests/1", "/support/bulk", "/admin/agents", "/admin/topics"]) {
      const response = await customer.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(customer.getByRole("heading", { name: "Support desk" })).toHaveCount(0);
    }
    await customer.context().close();

    const agent = await signedInPage(browser, E2E_AGENT, E2E_PASSWORDS.agent);
    for (const path of ["/admin/agents", "/admin/topics", "/admin/saved-replies"]) {
      expect((await agent.goto(path))?.status(), path).toBe(403);
    }
    await expect(agent.getByRole("heading", { name: "Agents" })).toHaveCount(0);
    // /admin itself is the campaign issue's page: 403 once it lands (404 before), never the dashboard.
    expect([403, 404]).toContain((await agent.goto("/admin"))?.status());
    await expect(agent.getByRole("heading", { name: "Incident dashboard" })).toHaveCount(0);
    await agent.context().close();
  });

  test("an internal note never reaches an email or a customer-facing page", async ({ browser, page, request }) => {
    const customer = customerEmail(104, "active");
    const note = `INTERNAL-NOTE-${Date.now()} caller gave the last four digits`;
    const reference = await sendContactMessage(page, { email: customer, name: "Noted Customer", message: "Hello" });
    const agent = await signedInPage(browser, E2E_AGENT, E2E_PASSWORDS.agent);
    await openRequest(agent, reference);
    await agent.getByLabel("Internal note").fill(note);
    await agent.getByRole("button", { name: "Add note" }).click();
    await expect(agent.getByText(note)).toBeVisible();
    await agent.getByLabel("Reply").fill("Thanks for your patience.");
    await agent.getByRole("button", { name: "Send reply" }).click();
    await expect(agent.getByText("Reply sent.")).toBeVisible();
    await waitForEmail(request, customer, /Re: your support request/);
    for (const mail of await readMailbox(request, customer)) {
      expect(mail.text + mail.html + mail.subject).not.toContain("INTERNAL-NOTE");
    }
    await agent.context().close();

    const own = await signedInPage(browser, customer, E2E_PASSWORDS.old);
    for (const path of ["/account", "/support/contact"]) {
      await own.goto(path);
      expect(await own.content()).not.toContain("INTERNAL-NOTE");
    }
    await own.context().close();
  });

  test("script typed into a message, name or note is shown as text, never run", async ({ browser, page }) => {
    const name = `<script>window.__xss = "name"</script>Mallory`;
    const message = `<img src=x onerror="window.__xss = 'message'"> please help`;
    const note = `<script>window.__xss = "note"</script> suspicious`;
    const reference = await sendContactMessage(page, { email: customerEmail(105, "active"), name, message });
    const agent = await signedInPage(browser, E2E_AGENT, E2E_PASSWORDS.agent);
    agent.on("dialog", (dialog) => {
      throw new Error(`unexpected dialog: ${dialog.message()}`);
    });
    await agent.goto(`/support?filter=open&q=${reference}`);
    await expect(agent.getByRole("row").filter({ hasText: reference })).toContainText(name);
    await openRequest(agent, reference);
    await expect(agent.getByText(message)).toBeVisible();
    await agent.getByLabel("Internal note").fill(note);
    await agent.getByRole("button", { name: "Add note" }).click();
    await expect(agent.getByText(note)).toBeVisible();
    await agent.reload();
    await expect(agent.getByText(note)).toBeVisible();
    expect(await agent.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    expect(await agent.locator("main img").count()).toBe(0);
    await agent.context().close();
  });

  test("axe finds no violations on the desk pages", async ({ browser, page }) => {
    const reference = await sendContactMessage(page, {
      email: customerEmail(106, "active"),
      name: "Axe Customer",
      message: "Checking pages",
    });
    const agent = await signedInPage(browser, E2E_AGENT, E2E_PASSWORDS.agent);
    await agent.goto("/support");
    await expectNoAxeViolations(agent);
    await openRequest(agent, reference);
    await expectNoAxeViolations(agent);
    await agent.getByRole("link", { name: "Open the customer's account" }).click();
    await expect(agent.getByRole("heading", { level: 2, name: "Activity" })).toBeVisible();
    await expectNoAxeViolations(agent);
    await agent.context().close();

    const admin = await signedInPage(browser, E2E_ADMIN, E2E_PASSWORDS.admin);
    await admin.goto("/admin/agents");
    await expect(admin.getByRole("heading", { level: 1, name: "Agents" })).toBeVisible();
    await expectNoAxeViolations(admin);
    await admin.context().close();
  });

  test("an admin invites an agent who sets a password from the email, then disables them", async ({
    browser,
    page,
    request,
  }) => {
    const invited = `invited-agent-${Date.now()}@staff.example.com`;
    const admin = await signedInPage(browser, E2E_ADMIN, E2E_PASSWORDS.admin);
    await admin.goto("/admin/agents");
    await admin.getByLabel("Email").fill(invited);
    await admin.getByRole("button", { name: "Invite agent" }).click();
    await expect(admin.getByText(`Invitation sent to ${invited}.`)).toBeVisible();
    const email = await waitForEmail(request, invited, /invited to the .* support desk/);
    await page.goto(linkIn(email, "/reset-password/"));
    const password = "lighthouse keeper morning walk";
    await page.getByLabel("New password", { exact: true }).fill(password);
    await page.getByLabel("Confirm new password").fill(password);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/login/);
    await signIn(page, invited, password);
    await expect(page).not.toHaveURL(/\/login/);
    await page.goto("/support");
    await expect(page.getByRole("heading", { level: 1, name: "Support desk" })).toBeVisible();

    await admin.reload();
    await admin.getByRole("button", { name: `Disable ${invited}` }).click();
    await expect(admin.getByText(`${invited} is disabled`)).toBeVisible();
    await page.goto("/support");
    await expect(page).toHaveURL(/\/login/);
    await admin.context().close();
  });
});
