import { describe, expect, it } from "vitest";
import { classify } from "./signin";
import { readForm, multipart } from "./form";
import { planMarkdown } from "./plan";
import { parseWrk } from "./wrk";

describe("bench helpers", () => {
  it("reads wrk's report", () => {
    const out = `Running 10s test @ http://localhost:3501/bench-static.html
  1 threads and 32 connections
  Latency Distribution
     50%    6.12ms
     75%    8.00ms
     90%   10.00ms
     99%    1.20s
  21850 requests in 10.01s, 20.1MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   2183.41
`;
    expect(parseWrk(out)).toEqual({ perSecond: 2183.41, requests: 21850, non2xx: 3, latencyMs: { p50: 6.12, p99: 1200 } });
    expect(() => parseWrk("nonsense")).toThrow(/Could not read/);
  });

  it("classifies sign-in answers; a 500 is never counted as anything but an error", () => {
    const reply = (status: number, headers: Record<string, string | string[]> = {}) => ({ status, headers, body: "" });
    expect(classify(reply(303, { location: "/account", "set-cookie": ["__Secure-authjs.session-token=abc; Path=/"] })).kind).toBe("signed-in");
    expect(classify(reply(200)).kind).toBe("refused");
    expect(classify(reply(303, { location: "/busy?retry=3" }))).toEqual({ status: 303, kind: "busy", pauseMs: 3000 });
    expect(classify(reply(503, { "retry-after": "2" })).pauseMs).toBe(2000);
    expect(classify(reply(303, { location: "/rate-limited?retry=60" })).kind).toBe("rate-limited");
    expect(classify(reply(500)).kind).toBe("error");
  });

  it("finds a form's hidden action fields and encodes a submission", () => {
    const html = `<form action="" method="POST"><input type="hidden" name="$ACTION_ID_1" value="a&amp;b"><input name="email" type="email"><input type="password" name="password"></form>`;
    expect(readForm(html, "password")).toEqual({ hidden: [["$ACTION_ID_1", "a&b"]], fields: ["email", "password"] });
    expect(readForm(html, "confirm")).toBeNull();
    expect(multipart([["email", "x@example.com"]])).toContain('name="email"\r\n\r\nx@example.com\r\n');
  });

  it("computes the plan from the JSON and cites each figure's path", () => {
    const report = {
      startedAt: "2026-11-28T19:00:00Z",
      machine: { cores: 2, note: "quiet" },
      results: {
        rawArgon2: { verifyPerSecond: 180, hashPlusVerifyPerSecond: 90 },
        signIn: { signInsPerSecond: 150 },
        reset: { resetsPerSecond: 70 },
        expiry: { rowsPerSecond: 150_000, plainUpdateRowsPerSecond: 180_000 },
        overload: { peakRssBytes: 400 * 2 ** 20, connections: 1320, admittedLatencyMs: { p50: 900, p99: 2100 }, statuses: { "303": 10 }, recovery: { firstSignInAfterMs: 40 } },
        notice: { ratio: 0.8, staticFile: { perSecond: 3000 }, plainHttpRatio: 0.74 },
        campaign: {},
      },
    };
    const text = planMarkdown(report, 2, 100);
    expect(text).toContain("24,000,000 rows ÷ 150,000 rows/s (`results.expiry.rowsPerSecond`) = **2.7 min**");
    expect(text).toContain("= 200 emails/s: 24,000,000 ÷ 200 = **33.3 h**");
    expect(text).toContain("35 resets/s per core");
    expect(text).toContain("| 1,000 | 29 | 96 |"); // 1000/35 → 29 cores; 5000/75 → 67 more
    expect(text).toContain("`results.overload.peakRssBytes`");
    expect(text).toContain("at 0.74× a plain Node `http` server sending the same bytes (`results.notice.plainHttpRatio`; goal ≥ 0.5)");
  });
});
