import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./helpers";

test("the health check answers ok", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
});

test("the start page shows the notice banner and passes axe", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  expect(response?.headers()["content-security-policy"]).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  await expect(page.getByRole("link", { name: "Read our notice" })).toHaveAttribute("href", "/notice");
  await expectNoAxeViolations(page);
});
