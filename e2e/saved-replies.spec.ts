// Saved replies (issue 13): an admin writes, previews, edits and archives them
// (with and without JavaScript); an agent inserts one into a reply, filled for
// the customer, edits it and sends it. No customer accounts are used.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_AGENT, E2E_PASSWORDS } from "./accounts";
import { expectNoAxeViolations, signIn, waitForEmail } from "./helpers";

async function signedIn(browser: Browser, email: string, password: string, javaScriptEnabled = true): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signIn(page, email, password);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

const unique = (title: string) => `${title} ${Date.now().toString(36)}`;

test("an admin writes a saved reply with a live preview, edits it and is told what is wrong", async ({ browser }) => {
  const admin = await signedIn(browser, E2E_ADMIN, E2E_PASSWORDS.admin);
  await admin.goto("/admin/saved-replies");
  await expect(admin.getByRole("heading", { level: 1, name: "Saved replies" })).toBeVisible();
  // The demo's answers to the notice's questions are there.
  await expect(admin.getByRole("heading", { level: 3, name: "Was my card number stolen?" })).toBeVisible();
  await expectNoAxeViolations(admin);

  const title = unique("Refund timing");
  await admin.getByLabel("Title").fill(title);
  await admin.getByLabel("Topic (optional)").selectOption({ label: "My card and payment data" });
  await admin.getByLabel("Text").fill("Hi {{nmae}}");
  await admin.getByRole("button", { name: "Save reply" }).click();
  await expect(admin.getByText("{{nmae}} is not a placeholder")).toBeVisible();

  await admin.getByLabel("Text").fill("Hello {{name}}, refunds take **5 days**.\n\nYour request: {{reference}}.");
  const preview = admin.getByTestId("saved-reply-preview");
  await expect(preview).toContainText("Hello Alex Example, refunds take 5 days.");
  await expect(preview.locator("strong")).toHaveText("5 days");
  await admin.getByRole("button", { name: "Save reply" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "The saved reply is saved." })).toBeVisible();
  await expect(admin.getByRole("heading", { level: 3, name: title })).toBeVisible();

  await admin.getByRole("link", { name: `Edit ${title}` }).click();
  await expect(admin.getByRole("heading", { level: 2, name: `Edit "${title}"` })).toBeVisible();
  await admin.getByLabel("Text").fill("Hello {{name}}, refunds take **3 days** now.");
  await admin.getByRole("button", { name: "Save changes" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "The saved reply is saved." })).toBeVisible();
  await admin.getByText(`Preview of ${title}`).click();
  await expect(admin.getByText("refunds take 3 days now.")).toBeVisible();
  await expectNoAxeViolations(admin);
  await admin.context().close();
});

test("without JavaScript: preview, save and archive", async ({ browser }) => {
  const admin = await signedIn(browser, E2E_ADMIN, E2E_PASSWORDS.admin, false);
  await admin.goto("/admin/saved-replies");
  const title = unique("Genuine email");
  await admin.getByLabel("Title").fill(title);
  await admin.getByLabel("Text").fill("Dear {{name}}, our emails only link to [our website](https://example.com).");
  await admin.getByRole("button", { name: "Preview" }).click();
  const preview = admin.getByTestId("saved-reply-preview");
  await expect(preview).toContainText("Dear Alex Example, our emails only link to our website.");
  await expect(preview.getByRole("link", { name: "our website" })).toHaveAttribute("href", "https://example.com");
  // The preview kept what was typed; nothing was saved yet.
  await expect(admin.getByLabel("Title")).toHaveValue(title);
  await expect(admin.getByRole("heading", { level: 3, name: title })).toHaveCount(0);
  await admin.getByRole("button", { name: "Save reply" }).click();
  await expect(admin.getByRole("heading", { level: 3, name: title })).toBeVisible();
  await admin.getByRole("button", { name: `Archive ${title}` }).click();
  await expect(admin.getByRole("status").filter({ hasText: "archived" })).toBeVisible();
  await expect(admin.getByRole("heading", { level: 3, name: title })).toHaveCount(0);
  await expect(admin.getByRole("region", { name: /Archived/ }).getByText(title)).toBeVisible();
  await admin.context().close();
});

test("an agent inserts a saved reply into a reply, filled for the customer, edits and sends it", async ({ browser, page, request }) => {
  const customer = `saved-reply-${Date.now()}@nowhere.example.com`;
  const started = new Date(Date.now() - 1000);
  await page.goto("/support/contact");
  await page.getByLabel("Email").fill(customer);
  await page.getByLabel("Name").fill("Robin [x](https://evil.example)");
  await page.getByLabel("Message").fill("Did you lose my card number? I need to know today.");
  await page.getByRole("button", { name: "Send message" }).click();
  const sendAnyway = page.getByRole("button", { name: "Send anyway" });
  if (await sendAnyway.isVisible().catch(() => false)) await sendAnyway.click();
  const status = page.getByRole("status").filter({ hasText: "reference" });
  const reference = (await status.textContent())?.match(/RD-[0-9A-Z]{8}/)?.[0];
  expect(reference).toBeTruthy();

  // Without JavaScript: the picker is a plain GET form.
  const agent = await signedIn(browser, E2E_AGENT, E2E_PASSWORDS.agent, false);
  await agent.goto(`/support?filter=open&q=${reference}`);
  await agent.getByRole("link", { name: reference! }).click();
  await expect(agent.getByRole("heading", { level: 1, name: `Request ${reference}` })).toBeVisible();
  await agent.getByLabel("Saved answer").selectOption({ label: "Was my card number stolen?" });
  await agent.getByRole("button", { name: "Insert saved answer" }).click();
  await expect(agent).toHaveURL(/savedReply=\d+/);
  await expect(agent.getByRole("status").filter({ hasText: "Inserted" })).toBeVisible();
  const reply = agent.getByLabel("Reply", { exact: true });
  await expect(reply).toHaveValue(/^Hello Robin \[x\]\(https:\/\/evil\.example\),/);
  await expect(reply).toHaveValue(new RegExp(`request ${reference}\\.$`));
  await agent.context().close();

  // With JavaScript: the same, edited before sending.
  const live = await signedIn(browser, E2E_AGENT, E2E_PASSWORDS.agent);
  await live.goto(`/support?filter=open&q=${reference}`);
  await live.getByRole("link", { name: reference! }).click();
  await live.getByLabel("Saved answer").selectOption({ label: "Was my card number stolen?" });
  await live.getByRole("button", { name: "Insert saved answer" }).click();
  const box = live.getByLabel("Reply", { exact: true });
  await expect(box).toHaveValue(/Only the last four digits/);
  await expectNoAxeViolations(live);
  await box.fill(`${await box.inputValue()}\n\nP.S. Checked by hand 5531.`);
  await live.getByRole("button", { name: "Send reply" }).click();
  await expect(live.getByText("Reply sent.")).toBeVisible();
  const email = await waitForEmail(request, customer, /Re: your support request/, started);
  expect(email.text).toContain("Only the last four digits");
  expect(email.text).toContain("Checked by hand 5531.");
  expect(email.html).not.toContain('href="https://evil.example"');
  await live.getByRole("button", { name: "Mark resolved" }).click();
  await expect(live.getByRole("status").filter({ hasText: "The request is resolved." })).toBeVisible();
  await live.context().close();
});
