// The demo loop without a provider: /dev/mailbox sends a test email into the
// desk (a signed email.received event through the real webhook), the desk
// files it as an email request, and the acknowledgement lands in the mailbox
// with its threading headers.
import { expect, test } from "@playwright/test";
import { E2E_AGENT, E2E_PASSWORDS } from "./accounts";
import { expectNoAxeViolations, signIn } from "./helpers";

test("a test email sent from /dev/mailbox becomes an email request with a threaded acknowledgement", async ({ page, request }) => {
  const address = `dev-inbound-${Date.now()}@customers.example`;
  await page.goto("/dev/mailbox");
  await expect(page.getByRole("heading", { level: 2, name: "Send a test email into the desk" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("From").fill(`Robin Tester <${address}>`);
  await page.getByLabel("Subject").fill("Locked out after the notice");
  await page.getByLabel("Message").fill("Sent from the dev mailbox.");
  await page.getByRole("button", { name: "Send test email" }).click();
  await expect(page.getByText("Sent into the desk.")).toBeVisible();
  await expectNoAxeViolations(page);

  let ack: { subject: string; headers?: Record<string, string> } | undefined;
  await expect
    .poll(async () => {
      const emails = (await (await request.get(`/dev/mailbox.json?to=${encodeURIComponent(address)}`)).json()) as typeof ack[];
      ack = emails.find((e) => e && /We received your message/.test(e.subject));
      return Boolean(ack);
    }, { timeout: 15_000 })
    .toBe(true);
  expect(ack!.headers?.["Auto-Submitted"]).toBe("auto-replied");
  expect(ack!.headers?.["In-Reply-To"]).toMatch(/@dev-mailbox\.invalid>$/);
  expect(ack!.headers?.["Reply-To"]).toMatch(/^support\+RD-[0-9A-Z]{8}\.[0-9a-f]{16}@/);

  await signIn(page, E2E_AGENT, E2E_PASSWORDS.agent);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto(`/support?q=${encodeURIComponent(address)}`); // the queue pages by 50: search, as agents do
  await expect(page.getByRole("row").filter({ hasText: address }).getByTestId("request-channel")).toHaveText("Email");
});
