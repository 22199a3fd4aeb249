import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInFlightLimit } from "./in-flight.mjs";

// A server whose handler waits until the test releases it, behind the limit.
const limit = createInFlightLimit({ max: 3, retryAfterSeconds: 4 });
const held: (() => void)[] = [];
const server = http.createServer((req, res) => {
  if (!limit.admit(req, res)) return;
  if (req.url === "/boom") {
    res.destroy(); // the handler dies: the slot must still come back
    return;
  }
  held.push(() => res.end("done"));
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe("createInFlightLimit", () => {
  it("answers 503 with Retry-After at once past the limit, and admits again once a slot frees", async () => {
    const agent = new http.Agent({ keepAlive: false });
    const first = [1, 2, 3].map(() => fetch(`${base}/slow`));
    await until(() => held.length === 3);
    expect(limit.inFlight()).toBe(3);
    const t0 = performance.now();
    const refused = await fetch(`${base}/slow`);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("4");
    expect(refused.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await refused.text()).toContain("We are very busy right now");
    expect(limit.shed()).toBe(1);

    const health = fetch(`${base}/api/health`); // never shed
    await until(() => held.length === 4);
    held.splice(0).forEach((release) => release());
    await Promise.all([...first, health]);
    await until(() => limit.inFlight() === 0);
    expect(limit.inFlight()).toBe(0);
    agent.destroy();
  });

  it("gives the slot back when a response is torn down", async () => {
    await fetch(`${base}/boom`).catch(() => undefined);
    await until(() => limit.inFlight() === 0);
    expect(limit.inFlight()).toBe(0);
  });

  it("refuses a nonsense limit", () => {
    expect(() => createInFlightLimit({ max: 0 })).toThrow(RangeError);
  });
});
