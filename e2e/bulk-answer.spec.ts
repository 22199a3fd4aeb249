// A bulk answer end to end (issue 13, point 1): 251 open requests across the
// queue's pages; "all matching" a search, a saved reply, mark resolved, and
// "Send to 251 requests" clicked twice quickly. One customer writes again
// after the confirmation page was shown: exactly 250 emails go out, each to its
// own customer on its own thread (counted at the local Resend-compatible
// server the app sends through), and the one who wrote again is left out and
// named. Then the same without JavaScript for that one request.
// Its own server and database, because it fills the queue (ports 3521/3522 by default).
// The queue's checkboxes are the bulk-select contract of issue 13 (Half A).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { connect } from "@/db/client";
import { receivedEvent, svixHeaders } from "@/lib/webhooks/sign";
import { hasProductionBuild, startAppServer, type AppServer } from "@/test/app-server";
import { createTestDatabase } from "@/test/databases";
import { insertRequests, type FixtureRequest } from "@/test/desk-fixtures";
import { startFakeResend, type FakeResend } from "@/test/fake-resend";
import { customerEmail, E2E_AGENT, E2E_PASSWORDS } from "./accounts";
import { expectNoAxeViolations } from "./helpers";
import { seedE2e } from "./seed";

const APP_PORT = Number(process.env.BULK_E2E_PORT || 3521);
const FAKE_PORT = Number(process.env.BULK_E2E_FAKE_PORT || 3522);
const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const SUPPORT = "support@desk.example";
const appUrl = `http://localhost:${APP_PORT}`;
const AUTH_SECRET = "bulk-answer-e2e-secret-bulk-answer-e2e-0123456";
process.env.AUTH_SECRET ||= AUTH_SECRET; // the seed reads the settings

const WORD = "quokkaharbour"; // in every seeded message, and nowhere else
const SELECTED = 251;
const REPLY_TITLE = "Was my card number stolen?"; // seeded from the notice's FAQ

test.describe.configure({ mode: "serial" });
test.use({ baseURL: appUrl });

let app: AppServer | undefined;
let fake: FakeResend;
let dataDir = "";
let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
let requests: FixtureRequest[] = [];

test.beforeAll(async () => {
  test.setTimeout(180_000);
  if (!hasProductionBuild()) throw new Error("no production build (.next): run next build first");
  fake = await startFakeResend({ port: FAKE_PORT, keepBodies: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-bulk-e2e-"));
  database = await createTestDatabase();
  const handle = await connect({ databaseUrl: database.url, dataDir });
  await seedE2e(handle.db);
  requests = await insertRequests(handle.db, SELECTED, { topic: "card", message: (i) => `Is my card safe? ${WORD} number ${i}` });
  await handle.close();
  app = await startAppServer({
    port: APP_PORT,
    env: {
      DATABASE_URL: database.url ?? "",
      DATA_DIR: dataDir,
      AUTH_SECRET,
      EMAIL_TRANSPORT: "resend",
      RESEND_API_KEY: "re_e2e_bulk_answer",
      RESEND_BASE_URL: fake.url,
      RESEND_WEBHOOK_SECRET: SECRET,
      SUPPORT_EMAIL: SUPPORT,
      EMAIL_FROM: "Desk <security@desk.example>",
      CAMPAIGN_CALLS_PER_SECOND: "20",
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

async function agentPage(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: appUrl, ...options });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(E2E_AGENT);
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.agent);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** The customer answers our acknowledgement by email: a newer customer message on the request. */
async function customerWritesAgain(request: FixtureRequest, text: string) {
  const stored = fake.receive({ from: `Customer <${request.email}>`, to: [SUPPORT], subject: `Re: ${request.reference}`, text, headers: { "In-Reply-To": request.threadId } });
  const body = receivedEvent(stored);
  const answer = await fetch(`${appUrl}/api/webhooks/resend`, { method: "POST", body, headers: svixHeaders(SECRET, body) });
  expect(answer.status).toBe(200);
}

const answered = () => fake.sent.filter((e) => /^Re: your support request/.test(e.subject));

test("all matching across every page, confirmed twice quickly: one email per customer, the one who wrote again left out", async ({ browser }) => {
  test.setTimeout(120_000);
  const agent = await agentPage(browser);
  await agent.goto(`/support?filter=open&q=${WORD}`);
  // One page of the queue shows 50 of them; "all matching" reaches every page.
  await expect(agent.getByRole("checkbox", { name: /^Select RD-/ })).toHaveCount(50);
  await agent.getByRole("checkbox", { name: `All ${SELECTED} matching` }).check();
  await agent.getByRole("button", { name: "Answer selected" }).click();

  await expect(agent.getByRole("heading", { level: 1, name: `Answer ${SELECTED} requests at once` })).toBeVisible();
  await expectNoAxeViolations(agent);

  // After the agent saw the confirmation, one customer writes again.
  const stale = requests[137];
  await customerWritesAgain(stale, "Actually, I also see a charge I do not recognise.");
  const check = await agentPage(browser);
  await expect
    .poll(async () => {
      await check.goto(`/support/requests/${stale.id}`);
      return check.getByText("I also see a charge I do not recognise.").count();
    }, { timeout: 20_000 })
    .toBe(1);
  await check.context().close();

  await agent.getByRole("radio", { name: REPLY_TITLE }).check();
  await agent.getByLabel("Mark them resolved").check();
  // "Confirm" twice at the same moment, as a double click without JavaScript
  // sends it (the browser with JavaScript sends one): both land on one job.
  const form = agent.locator("form", { has: agent.getByRole("button", { name: `Send to ${SELECTED} requests` }) });
  const fields = await form.evaluate((f: HTMLFormElement) => [...new FormData(f).entries()].map(([k, v]) => [k, String(v)]));
  const post = () => {
    const data = new FormData();
    for (const [k, v] of fields) data.append(k, v);
    return agent.request.post("/support/bulk", { multipart: data, maxRedirects: 0 });
  };
  const twice = await Promise.all([post(), post()]);
  const locations = twice.map((r) => r.headers().location);
  expect(twice.map((r) => r.status())).toEqual([303, 303]);
  expect(locations[0]).toMatch(/\/support\/bulk\/\d+$/);
  expect(locations[1]).toBe(locations[0]);
  // And the button itself, twice quickly, once more: still that job.
  await agent.getByRole("button", { name: `Send to ${SELECTED} requests` }).dblclick();
  await expect(agent).toHaveURL(new RegExp(`${locations[0]}$`));
  await expect(agent.getByRole("heading", { level: 2, name: "Result" })).toBeVisible({ timeout: 60_000 });
  await expectNoAxeViolations(agent);
  await expect(agent.getByTestId("bulk-sent")).toHaveText("250");
  await expect(agent.getByTestId("bulk-stale")).toHaveText("1");
  await expect(agent.getByTestId("bulk-duplicates")).toHaveText("0");
  const named = agent.getByTestId("bulk-left-out").getByRole("link", { name: stale.reference });
  await expect(named).toBeVisible();

  // Exactly 250 emails, each to its own customer, each on its own request's thread.
  const sent = answered();
  expect(sent).toHaveLength(250);
  const byAddress = new Map(requests.map((r) => [r.email, r]));
  expect(new Set(sent.map((e) => e.to)).size).toBe(250);
  expect(sent.some((e) => e.to === stale.email)).toBe(false);
  for (const email of sent) {
    const request = byAddress.get(email.to);
    expect(request, `an email to ${email.to}`).toBeTruthy();
    expect(email.subject).toContain(request!.reference);
    expect(email.headers?.["In-Reply-To"]).toBe(request!.threadId);
    expect(email.replyTo).toMatch(new RegExp(`^support\\+${request!.reference}\\.[0-9a-f]{16}@desk\\.example$`, "i"));
    expect(email.text).toContain("Only the last four digits");
  }
  // One job, whatever the double click sent.
  await agent.goto("/support/bulk");
  await expect(agent.getByRole("heading", { level: 2, name: "Recent bulk answers" })).toBeVisible();
  await expect(agent.getByRole("link", { name: REPLY_TITLE })).toHaveCount(1);

  // The one left out is open, with the customer's new message, for the agent to answer.
  await agent.goBack();
  await agent.goto(`/support/requests/${stale.id}`);
  await expect(agent.getByText("I also see a charge I do not recognise.")).toBeVisible();
  await agent.context().close();
});

test("without JavaScript: select one request, answer it, follow the job to its result", async ({ browser }) => {
  const agent = await agentPage(browser, { javaScriptEnabled: false });
  const stale = requests[137];
  await agent.goto(`/support?filter=open&q=${WORD}`);
  await agent.getByRole("checkbox", { name: `Select ${stale.reference}` }).check();
  await agent.getByRole("button", { name: "Answer selected" }).click();
  await expect(agent.getByRole("heading", { level: 1, name: "Answer 1 request at once" })).toBeVisible();
  // Choosing a saved reply is required before anything can be sent.
  await expect(agent.getByRole("radio", { name: REPLY_TITLE })).toHaveAttribute("required", "");
  await agent.getByRole("radio", { name: REPLY_TITLE }).check();
  await agent.getByRole("button", { name: "Send to 1 request" }).click();
  await expect(agent).toHaveURL(/\/support\/bulk\/\d+$/);
  // The page reloads itself (meta refresh) until the result is there.
  await expect(agent.getByRole("heading", { level: 2, name: "Result" })).toBeVisible({ timeout: 30_000 });
  await expect(agent.getByTestId("bulk-sent")).toHaveText("1");
  await expect.poll(() => answered().filter((e) => e.to === stale.email).length).toBe(1);
  expect(answered()).toHaveLength(251);
  await agent.context().close();
});

test("customers get 403 on bulk answers, their progress and saved replies", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(customerEmail(199, "active"));
  await page.getByLabel("Password", { exact: true }).fill(E2E_PASSWORDS.old);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  for (const path of [`/support/bulk?all=1&filter=open&q=${WORD}`, "/support/bulk/1", "/admin/saved-replies"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByText("Only the last four digits")).toHaveCount(0);
  }
  const progress = await page.request.get("/support/bulk/1/progress");
  expect(progress.status()).toBe(403);
  await context.close();
});
