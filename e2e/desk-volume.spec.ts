// The desk at volume (issue 13), in Chromium: search by reference, address
// prefix and a word from the middle of a message, and paging by 50, all
// without JavaScript; "Take next" pressed by two agents at once; a stale
// reply refused with nothing sent; merge and topics without JavaScript; the
// customer lookup by prefix and by name; presence; axe on every desk page
// touched. Customers 110-119 (lookup), other addresses are made up per run.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_AGENT, E2E_PASSWORDS, customerEmail } from "./accounts";
import { expectNoAxeViolations, readMailbox, signIn, waitForEmail } from "./helpers";

const run = Date.now().toString(36);

async function sendContactMessage(page: Page, input: { email: string; name: string; message: string }) {
  await page.goto("/support/contact");
  await page.getByLabel("Email").fill(input.email);
  await page.getByLabel("Name").fill(input.name);
  await page.getByLabel("Message").fill(input.message);
  await page.getByRole("button", { name: "Send message" }).click();
  const status = page.getByRole("status").filter({ hasText: "reference" });
  await expect(status).toBeVisible();
  return (await status.textContent())!.match(/RD-[0-9A-Z]{8}/)![0];
}

type Staff = { context: BrowserContext; page: Page; axe: (page: Page) => Promise<void> };
type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

// One sign-in per role for the whole file: every attempt counts against the
// account's sign-in limit (RATE_LIMIT_SIGNIN_PER_ACCOUNT), shared with the other specs.
const signedIn = new Map<"agent" | "admin", StorageState>();

async function stateOf(browser: Browser, who: "agent" | "admin"): Promise<StorageState> {
  const known = signedIn.get(who);
  if (known) return known;
  const [email, password] = who === "agent" ? [E2E_AGENT, E2E_PASSWORDS.agent] : [E2E_ADMIN, E2E_PASSWORDS.admin];
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  await expect(page).not.toHaveURL(/\/login/);
  const state = await context.storageState();
  await context.close();
  signedIn.set(who, state);
  return state;
}

/**
 * A signed-in staff context; without JavaScript when asked. axe runs
 * scripts, so `axe(page)` scans the same address in a signed-in context that
 * has JavaScript.
 */
async function staff(browser: Browser, who: "agent" | "admin", options: { javaScript?: boolean } = {}): Promise<Staff> {
  const storageState = await stateOf(browser, who);
  const scripted = await browser.newContext({ storageState });
  const withScripts = await scripted.newPage();
  const axe = async (page: Page) => {
    if (page !== withScripts) await withScripts.goto(page.url());
    await expectNoAxeViolations(withScripts);
  };
  if (options.javaScript !== false) return { context: scripted, page: withScripts, axe };
  const context = await browser.newContext({ javaScriptEnabled: false, storageState });
  const page = await context.newPage();
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    await scripted.close();
  };
  return { context, page, axe };
}

async function search(page: Page, text: string) {
  await page.goto("/support");
  await page.getByLabel("Search requests").fill(text);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("matching")).toBeVisible();
}

const rowsOf = (page: Page) => page.getByRole("table", { name: "Requests" }).locator("tbody tr");

test("search by reference, address prefix and a word from a message, and paging by 50, without JavaScript", async ({ browser, page }) => {
  test.setTimeout(180_000);
  const references: string[] = [];
  for (let i = 0; i < 55; i++) {
    const email = `vol${run}-${String(i).padStart(2, "0")}@volume.example`;
    const middle = i === 37 ? `middleword${run}` : "nothing special";
    references.push(await sendContactMessage(page, { email, name: `Volume ${i}`, message: `Hello, I wrote ${middle} here in the middle of it all.` }));
  }
  const { context, page: agent, axe } = await staff(browser, "agent", { javaScript: false });

  await search(agent, `vol${run}-`);
  await expect(agent.getByTestId("matching")).toHaveText(`55 requests match “vol${run}-”.`);
  await expect(rowsOf(agent)).toHaveCount(50);
  await expect(agent.getByRole("checkbox", { name: "All 55 matching" })).toBeVisible();
  await expect(agent.getByRole("checkbox", { name: `Select ${references[0]}` })).toHaveAttribute("form", "bulk-select");
  await axe(agent);
  await agent.getByRole("link", { name: "Next" }).click();
  await expect(rowsOf(agent)).toHaveCount(5);
  await expect(rowsOf(agent).first()).toContainText(references[50]);
  await expect(agent.getByRole("link", { name: "Next" })).toHaveCount(0);
  await agent.getByRole("link", { name: "Previous" }).click();
  await expect(rowsOf(agent)).toHaveCount(50);
  await expect(rowsOf(agent).first()).toContainText(references[0]);

  await search(agent, references[12]);
  await expect(rowsOf(agent)).toHaveCount(1);
  await expect(rowsOf(agent).first()).toContainText(`vol${run}-12@volume.example`);
  await search(agent, `VOL${run}-1`);
  await expect(agent.getByTestId("matching")).toHaveText(`10 requests match “VOL${run}-1”.`);
  await search(agent, `middleword${run}`);
  await expect(rowsOf(agent)).toHaveCount(1);
  await expect(rowsOf(agent).first()).toContainText(references[37]);
  // The filter links keep the search.
  await agent.getByRole("link", { name: /^Waiting on customer/ }).click();
  await expect(agent.getByLabel("Search requests")).toHaveValue(`middleword${run}`);
  await expect(agent.getByTestId("matching")).toHaveText(`0 requests match “middleword${run}”.`);
  await context.close();
});

test("two agents press Take next at once and get different requests", async ({ browser, page }) => {
  const word = `takeword${run}`;
  for (let i = 0; i < 3; i++) await sendContactMessage(page, { email: `take${run}-${i}@volume.example`, name: `Take ${i}`, message: `Please help ${word}` });
  const agent = await staff(browser, "agent");
  const admin = await staff(browser, "admin");
  for (const p of [agent.page, admin.page]) await search(p, word);
  await Promise.all([agent.page, admin.page].map((p) => p.getByRole("button", { name: "Take next" }).click()));
  for (const p of [agent.page, admin.page]) {
    await expect(p).toHaveURL(/\/support\/requests\/\d+/);
    await expect(p.getByRole("status").filter({ hasText: "This request is yours now" })).toBeVisible();
  }
  expect(agent.page.url()).not.toBe(admin.page.url());
  await expectNoAxeViolations(agent.page);
  await agent.context.close();
  await admin.context.close();
});

test("a reply is refused when the customer wrote again meanwhile, and nothing is sent", async ({ browser, page, request }) => {
  const customer = `stale${run}@volume.example`;
  const started = new Date(Date.now() - 1000);
  const reference = await sendContactMessage(page, { email: customer, name: "Stale Sam", message: "I cannot sign in." });
  const confirmation = await waitForEmail(request, customer, /We received your message/, started);
  const { context, page: agent } = await staff(browser, "agent");
  await agent.goto(`/support?q=${reference}`);
  await agent.getByRole("link", { name: reference }).click();
  await expect(agent.getByRole("heading", { level: 1, name: `Request ${reference}` })).toBeVisible();
  await agent.getByLabel("Reply").fill("Here is how to reset your password.");

  // Meanwhile the customer answers the confirmation by email (through the dev mailbox's signed webhook).
  const replyTo = (confirmation as { headers?: Record<string, string> }).headers?.["Reply-To"];
  expect(replyTo).toMatch(/^support\+RD-/);
  await page.goto("/dev/mailbox");
  await page.getByLabel("From").fill(`Stale Sam <${customer}>`);
  await page.getByLabel("To", { exact: true }).fill(replyTo!);
  await page.getByLabel("Subject").fill(`Re: ${reference}`);
  await page.getByLabel("Message").fill(`Never mind, it works now ${run}.`);
  await page.getByRole("button", { name: "Send test email" }).click();
  const admin = await staff(browser, "admin");
  await expect(async () => {
    await admin.page.goto(agent.url());
    await expect(admin.page.getByText(`Never mind, it works now ${run}.`)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(admin.page.getByTestId("presence")).toHaveText(/^Also open: e2e-agent@example\.com, just now/);
  await admin.context.close();

  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(agent.getByText(/^Not sent: a new message from the customer arrived after you opened this request/)).toBeVisible();
  await expect(agent.getByRole("region", { name: "New since you opened this request" })).toContainText(`Never mind, it works now ${run}.`);
  await expect(agent.getByLabel("Reply")).toHaveValue("Here is how to reset your password.");
  await expectNoAxeViolations(agent);
  expect((await readMailbox(request, customer)).filter((m) => /Re: your support request/.test(m.subject))).toEqual([]);

  // Seen now: sending again goes out.
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(agent.getByText("Reply sent.")).toBeVisible();
  await waitForEmail(request, customer, /Re: your support request/, started);
  await context.close();
});

test("merge and topics without JavaScript; a later email to the merged reference lands on the survivor", async ({ browser, page, request }) => {
  const customer = `merge${run}@volume.example`;
  const started = new Date(Date.now() - 1000);
  const first = await sendContactMessage(page, { email: customer, name: "Mo Merge", message: `First message ${run}` });
  const firstMail = await waitForEmail(request, customer, new RegExp(first), started);
  const second = await sendContactMessage(page, { email: customer, name: "Mo Merge", message: `Second message ${run}` });
  const { context, page: agent, axe } = await staff(browser, "agent", { javaScript: false });
  await agent.goto(`/support?q=${second}`);
  await agent.getByRole("link", { name: second }).click();
  await expect(agent.getByTestId("request-topic")).toHaveText("Something else");

  await agent.getByLabel("Topic").selectOption({ label: "My card and payment data" });
  await agent.getByRole("button", { name: "Change topic" }).click();
  await expect(agent.getByRole("status").filter({ hasText: "The topic is changed." })).toBeVisible();
  await expect(agent.getByTestId("request-topic")).toHaveText("My card and payment data");
  await agent.goto(`/support?topic=card&q=${second}`);
  await expect(rowsOf(agent)).toHaveCount(1);

  await agent.getByRole("link", { name: second }).click();
  await axe(agent);
  await agent.getByRole("button", { name: `Merge ${first} into this request` }).click();
  await expect(agent.getByRole("heading", { level: 1, name: `Request ${second}` })).toBeVisible();
  await expect(agent.getByRole("status").filter({ hasText: "The requests are merged" })).toBeVisible();
  const bodies = await agent.locator(".thread .message-body").allTextContents();
  expect(bodies.filter((b) => b.includes(run))).toEqual([`First message ${run}`, `Second message ${run}`]);

  await agent.getByRole("link", { name: first }).click();
  await expect(agent.getByTestId("merged-into")).toContainText(`This request was merged into ${second}`);
  await expect(agent.getByLabel("Reply")).toHaveCount(0);
  await axe(agent);

  // The customer answers the FIRST request's confirmation: it lands on the survivor.
  const replyTo = (firstMail as { headers?: Record<string, string> }).headers?.["Reply-To"];
  await page.goto("/dev/mailbox");
  await page.getByLabel("From").fill(customer);
  await page.getByLabel("To", { exact: true }).fill(replyTo!);
  await page.getByLabel("Subject").fill(`Re: ${first}`);
  await page.getByLabel("Message").fill(`Late answer ${run}`);
  await page.getByRole("button", { name: "Send test email" }).click();
  await expect(async () => {
    await agent.goto(`/support?q=${second}`);
    await agent.getByRole("link", { name: second }).click();
    await expect(agent.getByText(`Late answer ${run}`)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await context.close();
});

test("the customer lookup finds by address prefix and by name without JavaScript; the topic rules page", async ({ browser }) => {
  const { context, page: agent, axe } = await staff(browser, "agent", { javaScript: false });
  await agent.goto("/support");
  await agent.getByLabel("Customer email").fill("active-11");
  await agent.getByRole("button", { name: "Find customer" }).click();
  await expect(agent.getByRole("heading", { level: 1, name: "Find a customer" })).toBeVisible();
  await expect(agent.getByRole("link", { name: customerEmail(110, "active") })).toBeVisible();
  await expect(agent.getByRole("link", { name: customerEmail(119, "active") })).toBeVisible();
  await axe(agent);

  await agent.getByLabel("Customer email").fill("customer expired 11");
  await agent.getByRole("button", { name: "Find customer" }).click();
  await expect(agent.getByRole("row").filter({ hasText: "Customer expired 113" })).toContainText("Expired");
  await agent.getByRole("link", { name: customerEmail(113, "expired") }).click();
  await expect(agent.getByRole("heading", { level: 1, name: customerEmail(113, "expired") })).toBeVisible();

  await agent.goto("/support");
  await agent.getByLabel("Customer email").fill(customerEmail(114, "active").toUpperCase());
  await agent.getByRole("button", { name: "Find customer" }).click();
  await expect(agent.getByRole("heading", { level: 1, name: customerEmail(114, "active") })).toBeVisible();
  await context.close();

  const admin = await staff(browser, "admin");
  await admin.page.goto("/admin/topics");
  await expect(admin.page.getByRole("heading", { level: 1, name: "Request topics" })).toBeVisible();
  await expect(admin.page.getByRole("row").filter({ hasText: "Is this email genuine" })).toContainText("“phishing”");
  await expectNoAxeViolations(admin.page);
  await admin.context.close();
});
