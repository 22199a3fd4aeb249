// `npm run serve` with several worker processes (issue 14): SERVER_WORKERS=2
// starts two whole servers on one port, the body-size and malformed-address
// refusals hold in each of them, a killed worker is replaced, and a setting
// that cannot work is refused at start. Starts its own PostgreSQL-backed server.
import { spawnSync } from "node:child_process";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { hasProductionBuild, startAppServer, type AppServer } from "@/test/app-server";
import { postgresForSpec } from "@/test/pg-cluster";

const PORT = Number(process.env.CLUSTER_E2E_PORT || 3513);
const PG_PORT = Number(process.env.CLUSTER_E2E_PG_PORT || 3516);

process.env.AUTH_SECRET ||= "cluster-secret-cluster-secret-cluster-secret-01";

test.describe.configure({ mode: "serial" });

let server: AppServer | undefined;
let cleanup: () => Promise<void> = async () => {};
const lines: string[] = [];

function workerPids(): number[] {
  return [...new Set(lines.flatMap((l) => [...l.matchAll(/\[worker (\d+)\]/g)].map((m) => Number(m[1]))))];
}

/** A fresh connection each time, so the primary hands it to the next worker in turn. */
function send(options: http.RequestOptions, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: PORT, agent: false, ...options }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  expect(hasProductionBuild(), "no production build (.next): npm test builds first").toBe(true);
  const database = await postgresForSpec(PG_PORT);
  cleanup = database.cleanup;
  server = await startAppServer({
    port: PORT,
    env: { DATABASE_URL: database.url, SERVER_WORKERS: "2", AUTH_SECRET: process.env.AUTH_SECRET! },
    log: (line) => lines.push(line),
  });
  await expect.poll(() => workerPids().length, { timeout: 60_000 }).toBe(2);
});

test.afterAll(async () => {
  await server?.stop();
  await cleanup();
});

test("two workers share the port, and each refuses oversize bodies and malformed addresses", async () => {
  expect(lines.some((l) => /2 worker processes, \d+ hashing threads each/.test(l))).toBe(true);
  const tooLarge: number[] = [];
  const malformed: number[] = [];
  for (let i = 0; i < 12; i++) {
    tooLarge.push(
      await send({ method: "POST", path: "/login", headers: { "content-length": String(2 * 1024 * 1024), "content-type": "text/plain" } }),
    );
    malformed.push(await send({ method: "GET", path: "/%E0%A4%A" }));
  }
  expect(new Set(tooLarge)).toEqual(new Set([413]));
  expect(new Set(malformed)).toEqual(new Set([400]));
  expect(await send({ method: "GET", path: "/api/health" })).toBe(200);
});

test("a killed worker is replaced and the port keeps answering", async () => {
  const [victim] = workerPids();
  process.kill(victim, "SIGKILL");
  await expect.poll(() => lines.some((l) => l.includes(`worker ${victim} exited (SIGKILL); starting a replacement`))).toBe(true);
  await expect.poll(() => workerPids().filter((p) => p !== victim).length, { timeout: 60_000 }).toBe(2);
  for (let i = 0; i < 6; i++) expect(await send({ method: "GET", path: "/api/health" })).toBe(200);
});

test("settings that cannot work are refused at start, with the reason", () => {
  for (const [env, reason] of [
    [{ SERVER_WORKERS: "none", DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }, /SERVER_WORKERS must be "auto" or a whole number/],
    [{ SERVER_WORKERS: "2", DATABASE_URL: "" }, /embedded database belongs to one process; set DATABASE_URL/],
  ] as const) {
    const run = spawnSync(process.execPath, ["server.mjs"], {
      env: { ...process.env, NODE_ENV: "production", PORT: String(PORT + 1), ...env },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(reason);
  }
});
