import { describe, expect, it } from "vitest";
import { GET } from "./route";

describe("/busy", () => {
  it("answers a friendly 503 with Retry-After and no caching", async () => {
    const response = await GET(new Request("http://localhost/busy?retry=7", { headers: { "x-nonce": "abc123" } }));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain("<h1>We are very busy right now</h1>");
    expect(html).toContain("about 7 seconds");
    expect(html).toContain('<style nonce="abc123">');
    expect(html).toContain('href="/notice"');
  });

  it("bounds a missing or hostile retry value", async () => {
    for (const [query, expected] of [
      ["", "5"],
      ["?retry=-3", "5"],
      ["?retry=abc", "5"],
      ["?retry=99999999", "3600"],
    ]) {
      const response = await GET(new Request(`http://localhost/busy${query}`));
      expect(response.headers.get("retry-after")).toBe(expected);
    }
    const injected = await GET(new Request("http://localhost/busy", { headers: { "x-nonce": '"><script>' } }));
    expect(await injected.text()).not.toContain("<script>");
  });
});
