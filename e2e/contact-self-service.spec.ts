// Self-service before a request (issue 13): the contact form asks for a topic
// and, while the customer writes, offers the reset flow and the notice's FAQ
// answers that match; without JavaScript the same answers come after
// submitting, with "Send anyway". Unknown addresses only: no accounts used.
import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations, expectNoAxeViolationsWithoutJs } from "./helpers";

const address = (tag: string) => `self-service-${tag}-${Date.now()}@nowhere.example.com`;

async function fill(page: Page, input: { email: string; name: string; message: string; topic?: string }) {
  await page.getByLabel("Email").fill(input.email);
  await page.getByLabel("Name").fill(input.name);
  if (input.topic) await page.getByLabel("What is it about?").selectOption({ label: input.topic });
  await page.getByLabel("Message").fill(input.message);
}

const reference = (page: Page) => page.getByRole("status").filter({ hasText: /reference is RD-[0-9A-Z]{8}/ });

test("suggestions follow the topic and the words as the customer types, and the message is sent at once", async ({ page }) => {
  await page.goto("/support/contact");
  const help = page.getByRole("region", { name: "Answers that may help" });
  await expect(help).toHaveCount(0);

  await page.getByLabel("What is it about?").selectOption({ label: "My card and payment data" });
  await expect(help.getByRole("heading", { name: "Was my card number stolen?" })).toBeVisible();
  await expect(help).toContainText("Only the last four digits");

  await page.getByLabel("What is it about?").selectOption({ label: "Something else" });
  await page.getByLabel("Message").fill("I can't log in: my password is refused");
  await expect(help.getByRole("heading", { name: "Can't sign in?" })).toBeVisible();
  await expect(help.getByRole("link", { name: "email me a reset link" })).toHaveAttribute("href", "/forgot-password");
  await expect(help.getByRole("heading", { name: "Why can't I sign in with my old password?" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Email").fill(address("js"));
  await page.getByLabel("Name").fill("Sam Writer");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(reference(page)).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the answers come after submitting, and 'Send anyway' sends", async ({ page, browser }) => {
    await page.goto("/support/contact");
    await fill(page, {
      email: address("nojs"),
      name: "Kim Writer",
      topic: "Is this email genuine",
      message: "I got an email that says you reset my password. Is it real?",
    });
    await page.getByRole("button", { name: "Send message" }).click();
    const help = page.getByRole("region", { name: "Answers that may help" });
    await expect(help.getByRole("heading", { name: "Is the email I received from you genuine?" })).toBeVisible();
    await expect(help.getByRole("heading", { name: "Can't sign in?" })).toBeVisible();
    await expect(reference(page)).toHaveCount(0);
    // What was typed is kept.
    await expect(page.getByLabel("Message")).toHaveValue("I got an email that says you reset my password. Is it real?");
    await expect(page.getByLabel("What is it about?")).toHaveValue("genuine");
    await expectNoAxeViolationsWithoutJs(browser, page, "Contact support");
    await page.getByRole("button", { name: "Send anyway" }).click();
    await expect(reference(page)).toBeVisible();
  });

  test("a message nothing matches is sent on the first submit", async ({ page }) => {
    await page.goto("/support/contact");
    await fill(page, { email: address("plain"), name: "Lee Writer", message: "Please update my delivery address." });
    await page.getByRole("button", { name: "Send message" }).click();
    await expect(reference(page)).toBeVisible();
  });
});
