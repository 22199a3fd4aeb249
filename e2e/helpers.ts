// Shared e2e helpers: axe scans (WCAG 2.2 AA), the dev mailbox, sign-in.
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * axe needs scripts: checks the page a script-less browser got, as its HTML,
 * in a scripted page on the same origin (so its styles load), once `heading`
 * (the page's h1) shows.
 */
export async function expectNoAxeViolationsWithoutJs(browser: Browser, noJsPage: Page, heading: string | RegExp) {
  const html = (await noJsPage.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
  const context = await browser.newContext({ baseURL: new URL(noJsPage.url()).origin, javaScriptEnabled: true });
  try {
    const page = await context.newPage();
    await page.goto("/notice");
    await page.setContent(html);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expectNoAxeViolations(page);
  } finally {
    await context.close();
  }
}

export type MailboxEmail = { to: string; subject: string; text: string; html: string; createdAt: string };

export async function readMailbox(request: APIRequestContext, to: string): Promise<MailboxEmail[]> {
  const response = await request.get(`/dev/mailbox.json?to=${encodeURIComponent(to)}`);
  expect(response.status()).toBe(200);
  return response.json();
}

/** Waits for an email to `to` whose subject matches, newest first. */
export async function waitForEmail(
  request: APIRequestContext,
  to: string,
  subject: RegExp,
  after?: Date,
): Promise<MailboxEmail> {
  let found: MailboxEmail | undefined;
  await expect
    .poll(
      async () => {
        const emails = await readMailbox(request, to);
        found = emails.find(
          (e) => subject.test(e.subject) && (!after || new Date(e.createdAt) >= after),
        );
        return Boolean(found);
      },
      { timeout: 15_000, message: `an email to ${to} matching ${subject}` },
    )
    .toBe(true);
  return found!;
}

/** The first link in an email's text that starts with the app's URL and path. */
export function linkIn(email: MailboxEmail, pathPrefix: string): string {
  const match = email.text.match(new RegExp(`https?://[^\\s]+${pathPrefix.replace(/\//g, "\\/")}[^\\s)>\\]]*`));
  if (!match) throw new Error(`No ${pathPrefix} link in: ${email.text}`);
  return match[0];
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}
