// Stored and reflected scripts (SPEC 5.5, 5.8), in Chromium: markup typed into
// every field that is shown elsewhere stays text — the contact form's name and
// message (queue, request, customer page), the agent's reply (page and email)
// and note, an agent's name (admin's list), and the addresses echoed back by
// sign-in and forgot-password. (The notice editor's fields are covered by
// e2e/notice.spec.ts, the support note/message by e2e/support.spec.ts.)
// Customers 170-179.
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_AGENT, E2E_PASSWORDS, customerEmail } from "./accounts";
import { readMailbox, signIn, waitForEmail } from "./helpers";

const payload = (where: string) =>
  `<script data-xss>window.__xss="${where}"</script><img src=x data-xss onerror="window.__xss='${where}'">"'><svg data-xss onload=alert(1)>`;

function watchForScripts(page: Page) {
  page.on("dialog", (dialog) => {
    throw new Error(`a script opened a dialog: ${dialog.message()}`);
  });
}

async function expectInert(page: Page, where: string) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), `script ran on ${where}`).toBeUndefined();
  expect(await page.locator("[data-xss]").count(), `markup became elements on ${where}`).toBe(0);
}

test("reflected: addresses echoed by sign-in and forgot-password stay text", async ({ page }) => {
  watchForScripts(page);
  await signIn(page, payload("login"), "whatever it is, wrong");
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await expectInert(page, "/login");
  await page.goto(`/login?next=${encodeURIComponent(`"><script data-xss>window.__xss=1</script>`)}`);
  await expectInert(page, "/login?next=");
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(payload("forgot"));
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await page.waitForTimeout(500);
  await expectInert(page, "/forgot-password");
});

test("stored: contact name and message, agent reply and note, agent name — text on every page and in the email", async ({ browser, page, request }) => {
  watchForScripts(page);
  const customer = customerEmail(170, "active");
  const name = payload("name");
  const message = payload("message");
  await page.goto("/support/contact");
  await page.getByLabel("Email").fill(customer);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Message").fill(message);
  await page.getByRole("button", { name: "Send message" }).click();
  const status = page.getByRole("status").filter({ hasText: "reference" });
  await expect(status).toBeVisible();
  await expectInert(page, "/support/contact");
  const reference = (await status.textContent())!.match(/RD-[0-9A-Z]{8}/)![0];

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  watchForScripts(agent);
  await signIn(agent, E2E_AGENT, E2E_PASSWORDS.agent);
  await expect(agent).not.toHaveURL(/\/login/);
  await agent.goto(`/support?filter=open&q=${reference}`); // the queue pages by 50: search, as agents do
  await expect(agent.getByRole("row").filter({ hasText: reference })).toContainText(name);
  await expectInert(agent, "/support");
  await agent.getByRole("link", { name: reference }).click();
  await expect(agent.getByText(message).first()).toBeVisible();
  await expectInert(agent, "the request page");
  const reply = payload("reply");
  const note = payload("note");
  await agent.getByLabel("Reply").fill(reply);
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(agent.getByText(reply).first()).toBeVisible();
  await agent.getByLabel("Internal note").fill(note);
  await agent.getByRole("button", { name: "Add note" }).click();
  await expect(agent.getByText(note).first()).toBeVisible();
  await agent.reload();
  await expectInert(agent, "the request page after reply and note");
  await agent.getByRole("link", { name: "Open the customer's account" }).click();
  await expect(agent.getByRole("heading", { level: 1, name: customer })).toBeVisible();
  await expectInert(agent, "the customer page");
  await agentContext.close();

  // The emailed reply: the markup arrives escaped, never as tags.
  const mail = await waitForEmail(request, customer, /RD-|reply|Re:/i);
  const all = await readMailbox(request, customer);
  for (const m of all) {
    expect(m.html, `"${m.subject}"`).not.toMatch(/<script data-xss|<img src=x data-xss|<svg data-xss/);
  }
  expect(mail).toBeTruthy();

  // An agent's name, shown on the admin's list.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  watchForScripts(admin);
  await signIn(admin, E2E_ADMIN, E2E_PASSWORDS.admin);
  await expect(admin).not.toHaveURL(/\/login/);
  await admin.goto("/admin/agents");
  await admin.getByLabel("Email").fill(`xss-agent-${Date.now()}@staff.example.com`);
  await admin.getByLabel("Name (optional)").fill(payload("agent-name"));
  await admin.getByRole("button", { name: "Invite agent" }).click();
  await expect(admin.getByText(/Invitation sent to/)).toBeVisible();
  await admin.reload();
  await expect(admin.getByText(payload("agent-name")).first()).toBeVisible();
  await expectInert(admin, "/admin/agents");
  await adminContext.close();
});
