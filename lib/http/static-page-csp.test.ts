import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { brandStyle, staticPageCsp, staticPageResponse } from "./static-page-csp";

describe("the CSP of the cached /notice page", () => {
  const csp = staticPageCsp("#1e3a8a", false);

  it("runs no script, inline or not, and is never framed", () => {
    expect(csp).toMatch(/script-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline'[^;]*;.*script|script-src[^;]*unsafe/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).toMatch(/base-uri 'none'/);
  });

  it("allows exactly the root layout's brand style, by hash", () => {
    const hash = createHash("sha256").update(":root{--brand:#1e3a8a;}").digest("base64");
    expect(brandStyle("#1e3a8a")).toBe(":root{--brand:#1e3a8a;}");
    expect(csp).toContain(`style-src 'self' 'sha256-${hash}'`);
    expect(csp).not.toMatch(/style-src [^;]*unsafe-inline/);
    // The root layout writes exactly that style; if it changes, so must brandStyle().
    const layout = fs.readFileSync(path.join(process.cwd(), "app", "layout.tsx"), "utf8");
    expect(layout).toContain("{`:root{--brand:${brandColor};}`}");
  });

  it("answers /notice with that CSP, refuses /notice/<more>, and leaves other paths alone", async () => {
    expect(staticPageResponse("/notice", "#1e3a8a")?.headers.get("content-security-policy")).toMatch(/script-src 'none'/);
    const made = staticPageResponse("/notice/anything", "#1e3a8a");
    expect(made?.status).toBe(404);
    expect(await made?.text()).toBe("Not found");
    for (const path of ["/", "/notices", "/admin/notice", "/login"]) expect(staticPageResponse(path, "#1e3a8a")).toBeNull();
  });
});
