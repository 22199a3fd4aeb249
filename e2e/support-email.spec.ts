// Support by email, end to end in Chromium: the app runs with the Resend
// transport pointed at the local Resend-compatible server (test/fake-resend),
// so every fetch of a received email and every acknowledgement goes through the
// real SDK. Its own server and database (ports 3501/3502 by default).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { connect } from "@/db/client";
import { hasProductionBuild, startAppServer, type AppServer } from "@/test/app-server";
import { createTestDatabase } from "@/test/databases";
import { startFakeResend, type FakeResend, type InboundInput } from "@/test/fake-resend";
import { receivedEvent, svixHeaders } from "@/lib/webhooks/sign";
import { customerEmail, E2E_AGENT, E2E_PASSWORDS } from "./accounts";
import { expectNoAxeViolations } from "./helpers";
import { seedE2e } from "./seed";

const APP_PORT = Number(process.env.SUPPORT_EMAIL_E2E_PORT || 3501);
const FAKE_PORT = Number(process.env.SUPPORT_EMAIL_E2E_FAKE_PORT || 3502);
const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const SUPPORT = "support@desk.example";
const appUrl = `http://localhost:${APP_PORT}`;
const AUTH_SECRET = "support-email-e2e-secret-support-email-e2e-0123";
process.env.AUTH_SECRET ||= AUTH_SECRET; // the seed reads the settings

test.describe.configure({ mode: "serial" });
test.use({ baseURL: appUrl });

let app: AppServer | undefined;
let fake: FakeResend;
let dataDir = "";
let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // npm test builds first; without a build this spec fails rather than skip.
  if (!hasProductionBuild()) throw new Error("no production build (.next): run next build first");
  fake = await startFakeResend({ port: FAKE_PORT });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-support-email-"));
  // Its own database: a fresh one on DATABASE_URL's server when set, else PGlite in dataDir.
  database = await createTestDatabase();
  const handle = await connect({ databaseUrl: database.url, dataDir });
  await seedE2e(handle.db);
  await handle.close();
  app = await startAppServer({
    port: APP_PORT,
    env: {
      DATABASE_URL: database.url ?? "",
      DATA_DIR: dataDir,
      AUTH_SECRET,
      EMAIL_TRANSPORT: "resend",
      RESEND_API_KEY: "re_e2e_support_email",
      RESEND_BASE_URL: fake.url,
      RESEND_WEBHOOK_SECRET: SECRET,
      SUPPORT_EMAIL: SUPPORT,
      EMAIL_FROM: "Desk <security@desk.example>",
      HASH_MAX_WAIT_MS: "15000",
    },
  });
});

test.afterAll(async () => {
  await app?.stop();
  await fake?.close();
  await database?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The email arrives at the provider, and its signed event at the app's webhook. */
async function deliver(input: Partial<InboundInput> & { from: string }, opts: { twice?: boolean } = {}) {
  const stored = fake.receive({ to: [SUPPORT], subject: "Help please", text: "I cannot sign in.", ...input });
  const body = receivedEvent(stored);
  const headers = svixHeaders(SECRET, body);
  const first = await fetch(`${appUrl}/api/webhooks/resend`, { method: "POST", body, headers });
  expect(first.status).toBe(200);
  if (opts.twice) {
    const again = await fetch(`${appUrl}/api/webhooks/resend`, { method: "POST", body, headers });
    expect(again.status).toBe(400); // a replay: refused
    const reannounced = await fetch(`${appUrl}/api/webhooks/resend`, { method: "POST", body, headers: svixHeaders(SECRET, body) });
    expect(reannounced.status).toBe(200); // the same email under a new event id: filed once
  }
  // Filed once the receiving fetch succeeded.
  await expect.poll(() => fake.calls.some((c) => c.path === `/emails/receiving/${stored.id}` && c.status === 200)).toBe(true);
  return stored;
}

const sentTo = (address: string) => fake.sent.filter((e) => e.to === address);

async function signInAgent(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_AGENT);
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.agent);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Opens a request from the queue by the customer's address; its id from the URL. */
async function openRequestOf(page: Page, address: string, nth = 0) {
  await page.goto("/support");
  const rows = page.getByRole("row").filter({ hasText: address });
  await expect(rows.nth(nth)).toBeVisible({ timeout: 15_000 });
  await rows.nth(nth).getByRole("link", { name: /^RD-/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Request RD-/ })).toBeVisible();
  return page.url();
}

test("1. an email opens a request marked as email; the answer to the agent's reply lands on it and reopens it", async ({ page }) => {
  const customer = customerEmail(1, "active");
  const first = await deliver({ from: `Casey Customer <${customer}>`, subject: "Locked out" });
  await signInAgent(page);

  await page.goto("/support");
  const row = page.getByRole("row").filter({ hasText: customer });
  await expect(row.getByTestId("request-channel")).toHaveText("Email");
  await expectNoAxeViolations(page);
  const url = await openRequestOf(page, customer);
  await expect(page.getByTestId("request-channel")).toHaveText("Email");
  await expect(page.getByTestId("message-channel").first()).toHaveText("Email");
  await expect(page.getByText("matches an account")).toBeVisible();
  await expect(page.getByRole("link", { name: "Open the customer's account" })).toBeVisible();
  await expectNoAxeViolations(page);

  // The acknowledgement: threaded to the customer's email, marked automatic, signed Reply-To.
  await expect.poll(() => sentTo(customer).length).toBe(1);
  const ack = sentTo(customer)[0];
  expect(ack.headers?.["In-Reply-To"]).toBe(first.message_id);
  expect(ack.headers?.["Auto-Submitted"]).toBe("auto-replied");
  expect(ack.headers?.["Message-ID"]).toMatch(/^<rd\.[0-9a-f]+@desk\.example>$/);
  expect(ack.replyTo).toMatch(/^support\+RD-[0-9A-Z]{8}\.[0-9a-f]{16}@desk\.example$/);

  await page.getByLabel("Reply").fill("Use the link we just sent to the email on file.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByText("Waiting on customer")).toBeVisible();
  await expect.poll(() => sentTo(customer).length).toBe(2);
  const reply = sentTo(customer)[1];
  expect(reply.headers?.["In-Reply-To"]).toBe(ack.headers?.["Message-ID"]);
  expect(reply.headers?.References?.split(" ").length).toBeLessThanOrEqual(10);

  await deliver({
    from: customer,
    to: [reply.replyTo!],
    subject: `Re: ${reply.subject}`,
    text: "That worked, thank you.",
    headers: { "In-Reply-To": reply.headers!["Message-ID"], References: reply.headers!.References },
  });
  await page.goto(url);
  await expect(page.getByText("That worked, thank you.")).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: /^Open$/ })).toBeVisible();
  await expect(page.getByTestId("message-channel")).toHaveText(["Email", "Agent reply", "Email"]);
});

test("2. a forged or altered token, or another sender's In-Reply-To, opens a new request and appends nothing", async ({ page }) => {
  const customer = customerEmail(2, "active");
  await deliver({ from: customer, text: "The original message." });
  await expect.poll(() => sentTo(customer).length).toBe(1);
  const ack = sentTo(customer)[0];
  const altered = ack.replyTo!.replace(/\.([0-9a-f])/, (_, c: string) => `.${c === "a" ? "b" : "a"}`);
  const unsigned = ack.replyTo!.replace(/\.[0-9a-f]{16}@/, "@");
  await deliver({ from: customer, to: [altered], text: "Altered token." });
  await deliver({ from: customer, to: [unsigned], text: "Unsigned token." });
  const intruder = "intruder@elsewhere.example";
  await deliver({ from: intruder, to: [ack.replyTo!], headers: { "In-Reply-To": ack.headers!["Message-ID"] }, text: "Intruder." });

  await signInAgent(page);
  await page.goto("/support");
  await expect(page.getByRole("row").filter({ hasText: customer })).toHaveCount(3);
  await expect(page.getByRole("row").filter({ hasText: intruder })).toHaveCount(1);
  await openRequestOf(page, customer, 0);
  await expect(page.getByText("The original message.")).toBeVisible();
  await expect(page.locator(".thread > li")).toHaveCount(1);
});

test("3. loop headers, our own domain and a delivery report get no acknowledgement; the report is a bounce", async ({ page }) => {
  const loops: Record<string, string>[] = [
    { "Auto-Submitted": "auto-replied" },
    { Precedence: "bulk" },
    { Precedence: "list" },
    { Precedence: "junk" },
    { "X-Auto-Response-Suppress": "All" },
    { "X-Autoreply": "yes" },
    { "List-Unsubscribe": "<mailto:unsubscribe@list.example>" },
  ];
  const senders = loops.map((_, i) => `loop-${i}@robots.example`);
  for (const [i, headers] of loops.entries()) await deliver({ from: senders[i], headers, text: `loop ${i}` });
  for (const from of ["noreply@shop.example", "colleague@desk.example"]) await deliver({ from });

  // A delivery report naming the acknowledgement sent to a customer.
  const customer = customerEmail(3, "active");
  await deliver({ from: customer });
  await expect.poll(() => sentTo(customer).length).toBe(1);
  const ackId = sentTo(customer)[0].headers!["Message-ID"];
  await deliver({
    from: "MAILER-DAEMON@mx.robots.example",
    subject: "Undelivered Mail Returned to Sender",
    headers: { "Content-Type": 'multipart/report; report-type=delivery-status; boundary="x"', "Return-Path": "<>" },
    text: `Delivery failed.\nOriginal-Message-ID: ${ackId}`,
  });

  for (const from of [...senders, "noreply@shop.example", "colleague@desk.example", "mailer-daemon@mx.robots.example"]) {
    expect(sentTo(from), from).toHaveLength(0);
  }
  await signInAgent(page);
  await page.goto("/support");
  await expect(page.getByRole("row").filter({ hasText: "mailer-daemon@" })).toHaveCount(0);
  await expect(page.getByRole("row").filter({ hasText: "loop-0@robots.example" })).toHaveCount(1);
  // The bounce shows against the customer's email.
  await openRequestOf(page, customer);
  await page.getByRole("link", { name: "Open the customer's account" }).click();
  await expect(page.getByRole("row").filter({ hasText: "We received your message" })).toContainText(/bounced/i);
});

test("4. the same event twice makes one message; a fetch that failed once (500) is retried", async ({ page }) => {
  const twice = "twice@customers.example";
  await deliver({ from: twice, text: "Only once, please." }, { twice: true });
  const flaky = "flaky@customers.example";
  fake.failReceiving(1);
  const stored = await deliver({ from: flaky, text: "Second time lucky." });
  expect(fake.calls.filter((c) => c.path === `/emails/receiving/${stored.id}`).map((c) => c.status)).toEqual([500, 200]);

  await signInAgent(page);
  await page.goto("/support");
  await expect(page.getByRole("row").filter({ hasText: twice })).toHaveCount(1);
  await openRequestOf(page, twice);
  await expect(page.getByText("Only once, please.")).toHaveCount(1);
  await openRequestOf(page, flaky);
  await expect(page.getByText("Second time lucky.")).toBeVisible();
});

test("5. markup in subject, body, sender name and attachment names is shown as text on every desk page", async ({ page }) => {
  const evil = "<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>";
  const sender = customerEmail(4, "active");
  await deliver({
    from: `"${evil}" <${sender}>`,
    subject: `Subject ${evil}`,
    text: `Body ${evil}`,
    html: `<p>ignored</p>`,
    attachments: [{ id: "att1", filename: `${evil}.pdf`, size: 4096, content_type: "application/pdf", content_id: null, content_disposition: "attachment" }],
  });
  await deliver({ from: "html-only@customers.example", text: null, html: `<p>Rich <b>text</b></p><script>window.__pwned=3</script>` });
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await signInAgent(page);
  await page.goto("/support");
  await expect(page.getByRole("row").filter({ hasText: sender })).toContainText(evil);
  const url = await openRequestOf(page, sender);
  await expect(page.getByTestId("message-subject")).toHaveText(`Subject ${evil}`);
  await expect(page.getByText(`Body ${evil}`)).toBeVisible();
  await expect(page.getByTestId("attachments")).toContainText(`${evil}.pdf · application/pdf · 4.0 KB`);
  expect(await page.locator(".thread img, .thread script, main img[src='x']").count()).toBe(0);
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Open the customer's account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(sender);
  await openRequestOf(page, "html-only@customers.example");
  await expect(page.getByText("Rich text")).toBeVisible();
  await expect(page.getByText("Converted to text from the email's HTML.")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);
  void url;
});
