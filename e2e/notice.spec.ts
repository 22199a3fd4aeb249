// The incident notice (issue 4): the public page, its cache, and the admin
// editor. Customers 040-059 belong to this file (e2e/accounts.ts).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_AGENT, E2E_PASSWORDS, customerEmail } from "./accounts";
import { expectNoAxeViolations, signIn } from "./helpers";

const SECTION_HEADINGS = [
  "What Happened",
  "What Information Was Involved",
  "What We Are Doing",
  "What You Can Do",
  "For More Information",
];
const PAGE_HEADINGS = ["Notice of Data Breach", ...SECTION_HEADINGS, "Updates", "Frequently asked questions"];

async function headingsOf(page: Page): Promise<string[]> {
  return page.locator("main h1, main h2").allInnerTexts();
}

async function signedIn(page: Page, email: string, password: string) {
  await signIn(page, email, password);
  await expect(page).not.toHaveURL(/\/login/);
}

/** A signed-out reader's fresh view of /notice. */
async function readAsVisitor(browser: Browser, fn: (page: Page) => Promise<void>, javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  try {
    const page = await context.newPage();
    await fn(page);
  } finally {
    await context.close();
  }
}

test.describe("the public notice", () => {
  test("has the title, the headings in order, dated updates newest first and a way to support", async ({ page }) => {
    const response = await page.goto("/notice");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle("Notice of Data Breach");
    expect(await headingsOf(page)).toEqual(PAGE_HEADINGS);
    await expect(page.getByText(/^Last updated/)).toBeVisible();
    const lastUpdated = page.locator("main p", { hasText: /^Last updated/ }).locator("time");
    expect(Date.parse((await lastUpdated.getAttribute("datetime"))!)).not.toBeNaN();

    const updates = page.locator("section[aria-labelledby='notice-updates'] li");
    expect(await updates.count()).toBeGreaterThanOrEqual(2);
    const stamps = await updates.locator("time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime") ?? ""));
    for (const s of stamps) expect(Date.parse(s)).not.toBeNaN();
    expect([...stamps].sort().reverse()).toEqual(stamps);

    const contact = page.getByRole("main").getByRole("link", { name: "Contact support" });
    await expect(contact).toHaveAttribute("href", "/support/contact");
    // The seeded notice says what the law asks for.
    await expect(page.getByRole("main")).toContainText("change it there too");
    await expect(page.getByRole("main")).toContainText("ended every signed-in session");
    await expectNoAxeViolations(page);
  });

  test("reads correctly without JavaScript, on a phone, and on paper", async ({ browser }) => {
    await readAsVisitor(
      browser,
      async (page) => {
        await page.setViewportSize({ width: 360, height: 740 });
        await page.goto("/notice");
        expect(await headingsOf(page)).toEqual(PAGE_HEADINGS);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        await page.emulateMedia({ media: "print" });
        await expect(page.locator(".site-header")).toBeHidden();
        await expect(page.getByRole("heading", { level: 1, name: "Notice of Data Breach" })).toBeVisible();
        await page.emulateMedia({ media: "screen" });
        await page.getByRole("main").getByRole("link", { name: "Contact support" }).click();
        await expect(page).toHaveURL(/\/support\/contact$/);
      },
      false,
    );
  });

  test("is served from memory with headers a CDN may cache, and still the strict headers", async ({ request }) => {
    // server.mjs takes its copy of the page within a few seconds of start (and of a publish).
    await expect.poll(async () => (await request.get("/notice")).headers()["x-reset-desk-notice"], { timeout: 15_000 }).toBe("memory");
    let body: string | undefined;
    for (let i = 0; i < 5; i++) {
      const response = await request.get("/notice");
      expect(response.status()).toBe(200);
      const headers = response.headers();
      // From server.mjs's copy: no rendering, no query.
      expect(headers["x-reset-desk-notice"]).toBe("memory");
      expect(headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(headers["cache-control"]).toMatch(/s-maxage=\d+/);
      expect(headers["cache-control"]).not.toMatch(/private|no-store|no-cache/);
      expect(headers["x-content-type-options"]).toBe("nosniff");
      const csp = headers["content-security-policy"];
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/script-src 'none'/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      const text = await response.text();
      if (body !== undefined) expect(text).toBe(body);
      body = text;
    }
    // A reader who has this version gets a 304 without the body.
    const first = await request.get("/notice");
    const etag = first.headers()["etag"];
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await request.get("/notice", { headers: { "if-none-match": etag } });
    expect(again.status()).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers()["content-security-policy"]).toMatch(/script-src 'none'/);
    // Made-up paths under /notice never reach the page cache.
    expect((await request.get("/notice/anything-at-all")).status()).toBe(404);
  });

  test("the banner on other pages links to it", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: "Read our notice" })).toHaveAttribute("href", "/notice");
  });

  test("signed-out visitors cannot reach the editor", async ({ page }) => {
    await page.goto("/admin/notice");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Edit the notice" })).toHaveCount(0);
  });
});

test.describe("the notice editor", () => {
  for (const [who, email, password] of [
    ["a customer", customerEmail(40, "active"), E2E_PASSWORDS.old],
    ["an agent", E2E_AGENT, E2E_PASSWORDS.agent],
  ] as const) {
    test(`${who} is refused`, async ({ page }) => {
      await signedIn(page, email, password);
      const response = await page.goto("/admin/notice");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("button", { name: "Publish" })).toHaveCount(0);
      await expect(page.getByLabel("What Happened", { exact: true })).toHaveCount(0);
    });
  }

  test("an admin edits a section, adds an update and publishes; readers see it at once, newest first", async ({
    page,
    browser,
  }) => {
    const stamp = Date.now().toString(36);
    const newText = `We have now confirmed the scope (check ${stamp}).`;
    const newUpdate = `The investigation found no further access (update ${stamp}).`;
    await signedIn(page, E2E_ADMIN, E2E_PASSWORDS.admin);
    await page.goto("/admin/notice");
    await expect(page.getByRole("heading", { level: 1, name: "Edit the notice" })).toBeVisible();
    await expectNoAxeViolations(page);
    const previousRevision = await page.locator("table tbody tr").first().getByRole("link").innerText();
    const previousText = await page.getByLabel("What Happened", { exact: true }).inputValue();

    await page.getByLabel("What Happened", { exact: true }).fill(`${previousText}\n\n${newText}`);
    await page.getByLabel("New update").fill(newUpdate);
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByRole("region", { name: "Preview of the notice" });
    await expect(preview).toContainText(newText);
    await expect(preview).toContainText(newUpdate);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByRole("status")).toContainText(/Revision \d+ is published/);

    // The previous revision stays listed, and readable.
    const rows = page.locator("table tbody tr");
    await expect(rows.nth(1).getByRole("link")).toHaveText(previousRevision);
    await rows.nth(1).getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(previousRevision.replace("Revision", "Notice revision"));
    await expect(page.getByRole("main")).not.toContainText(newText);

    await readAsVisitor(browser, async (reader) => {
      await reader.goto("/notice");
      const main = reader.getByRole("main");
      await expect(main.locator("section[aria-labelledby='section-whatHappened']")).toContainText(newText);
      const first = main.locator("section[aria-labelledby='notice-updates'] li").first();
      await expect(first).toContainText(newUpdate);
      const datetime = await first.locator("time").getAttribute("datetime");
      expect(Math.abs(Date.parse(datetime!) - Date.now())).toBeLessThan(5 * 60_000);
      await expect(main.locator("p", { hasText: /^Last updated/ }).locator("time")).toHaveAttribute("datetime", datetime!);
    });
  });

  test("a script tag or javascript: link typed into the notice never runs nor becomes markup", async ({
    page,
    browser,
  }) => {
    const stamp = Date.now().toString(36);
    const script = `<script>window.__pwned = "script-${stamp}"</script>`;
    const image = `<img src=x onerror="window.__pwned = 'img-${stamp}'">`;
    const link = `[press here ${stamp}](javascript:window.__pwned='link-${stamp}')`;
    const evil = `${script} ${image} ${link}`;
    await signedIn(page, E2E_ADMIN, E2E_PASSWORDS.admin);
    await page.goto("/admin/notice");
    await page.getByLabel("What You Can Do", { exact: true }).fill(`Stay safe. ${evil}`);
    await page.getByRole("button", { name: "Add a question" }).click();
    const n = await page.getByLabel(/^Question \d+$/).count();
    await page.getByLabel(`Question ${n}`, { exact: true }).fill(`Is ${script} safe?`);
    await page.getByLabel(`Answer ${n}`, { exact: true }).fill(evil);
    await page.getByLabel("New update").fill(evil);
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("region", { name: "Preview of the notice" })).toContainText(script);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expect(page.getByRole("status")).toContainText(/is published/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();

    await readAsVisitor(browser, async (reader) => {
      await reader.goto("/notice");
      const main = reader.getByRole("main");
      await expect(main).toContainText(script); // shown as the text typed
      await expect(main).toContainText(`press here ${stamp}`);
      expect(await main.locator("script, img, iframe, [onerror]").count()).toBe(0);
      expect(await reader.locator("a[href^='javascript:' i]").count()).toBe(0);
      await main.getByText(`press here ${stamp}`).first().click();
      expect(await reader.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    });
  });
});
