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

describe("shedding on event-loop lag", () => {
  it("lets only a quarter of the slots in while the loop runs late", () => {
    let lag = 0;
    const lagged = createInFlightLimit({ max: 8, maxLagMs: 100, lagMs: () => lag });
    const fakeRes = () => {
      const listeners: Record<string, () => void> = {};
      return {
        statusCode: 0,
        writeHead(status: number) {
          this.statusCode = status;
        },
        end() {},
        once(event: string, fn: () => void) {
          listeners[event] = fn;
        },
        finish: () => listeners.finish?.(),
      };
    };
    const req = { url: "/login", method: "POST" } as never;
    lag = 500;
    const answers = Array.from({ length: 4 }, () => {
      const res = fakeRes();
      return { ok: lagged.admit(req, res as never), res };
    });
    expect(answers.map((a) => a.ok)).toEqual([true, true, false, false]);
    expect(answers[2].res.statusCode).toBe(503);
    lag = 0; // caught up: the full limit again
    answers[0].res.finish();
    expect(lagged.inFlight()).toBe(1);
    expect(lagged.admit(req, fakeRes() as never)).toBe(true);
    expect(lagged.admit(req, fakeRes() as never)).toBe(true);
    expect(lagged.inFlight()).toBe(3);
  });

  it("measures the event loop's delay", async () => {
    const { watchEventLoopLag } = await import("./in-flight.mjs");
    const watch = watchEventLoopLag(10);
    await new Promise((r) => setTimeout(r, 30));
    const start = Date.now();
    while (Date.now() - start < 120) {
      // block the loop
    }
    await new Promise((r) => setTimeout(r, 15));
    expect(watch.lagMs()).toBeGreaterThan(50);
    watch.stop();
  });
});
