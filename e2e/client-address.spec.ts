// The client's address on the production server (issue 15): a client's own
// x-reset-desk-ip header is always replaced, a spoofed X-Forwarded-For does not
// step around the per-IP sign-in limit, and plain `next start` refuses to run
// in production. Starts its own servers (a fresh PGlite folder each), beside
// Playwright's usual one.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { hasProductionBuild, startAppServer, type AppServer } from "@/test/app-server";
import { multipart, type FormShape } from "@/bench/lib/form";
import { httpRequest } from "@/bench/lib/load";
import { classify, prepareSignIn } from "@/bench/lib/signin";

const BASE_PORT = Number(process.env.E2E_PORT || 3100);
const FAILURE_LIMIT = 3;
const BOUNDARY = "----resetdeskbench7MA4YWxkTrZu0gW";

process.env.AUTH_SECRET ||= "client-address-secret-client-address-secret-01";

test.describe.configure({ mode: "serial" });

const agent = new http.Agent({ keepAlive: true });
const folders: string[] = [];

async function serverWith(port: number, trustProxy: string): Promise<AppServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-client-address-"));
  folders.push(dataDir);
  return startAppServer({
    port,
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      AUTH_SECRET: process.env.AUTH_SECRET!,
      TRUST_PROXY: trustProxy,
      RATE_LIMIT_SIGNIN_PER_IP: String(FAILURE_LIMIT),
    },
  });
}

/** A wrong sign-in for a fresh address (so the per-account limit never plays), with extra headers. */
async function wrongSignIn(server: AppServer, form: FormShape, headers: Record<string, string>) {
  const email = `nobody-${Math.random().toString(36).slice(2)}@example.com`;
  const body = multipart([...form.hidden, ["email", email], ["password", "Harbour-Tamarind-5182-Gusset"]]);
  const reply = await httpRequest(agent, `${server.url}/login`, {
    method: "POST",
    body,
    headers: {
      "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
      origin: server.url,
      "sec-fetch-site": "same-origin",
      ...headers,
    },
  });
  return classify(reply).kind;
}

const randomAddress = () => `203.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

// npm test builds first; without a build this spec fails rather than skip.
test.beforeAll(() => {
  if (!hasProductionBuild()) throw new Error("no production build (.next): run next build first");
});

test.afterAll(() => {
  agent.destroy();
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

test("a client-sent x-reset-desk-ip is replaced by the socket address (TRUST_PROXY=false)", async () => {
  test.setTimeout(120_000);
  const server = await serverWith(BASE_PORT + 11, "false");
  try {
    const form = await prepareSignIn(agent, server.url);
    expect(form, "the /login form").not.toBeNull();
    const kinds = [];
    // If the header were believed, each attempt would have its own budget.
    for (let i = 0; i <= FAILURE_LIMIT; i++) {
      kinds.push(await wrongSignIn(server, form!, { "x-reset-desk-ip": randomAddress(), "x-forwarded-for": randomAddress() }));
    }
    expect(kinds).toEqual([...Array(FAILURE_LIMIT).fill("refused"), "rate-limited"]);
  } finally {
    await server.stop();
  }
});

test("behind one proxy (TRUST_PROXY=1) spoofed leftmost X-Forwarded-For entries share the client's budget", async () => {
  test.setTimeout(120_000);
  const server = await serverWith(BASE_PORT + 12, "1");
  try {
    const form = await prepareSignIn(agent, server.url);
    expect(form, "the /login form").not.toBeNull();
    // We play the proxy: it appends the address it saw (203.0.113.5) to what the client wrote.
    const kinds = [];
    for (let i = 0; i <= FAILURE_LIMIT; i++) {
      kinds.push(
        await wrongSignIn(server, form!, {
          "x-forwarded-for": `${randomAddress()}, ${randomAddress()}, 203.0.113.5`,
          "x-reset-desk-ip": randomAddress(),
        }),
      );
    }
    expect(kinds).toEqual([...Array(FAILURE_LIMIT).fill("refused"), "rate-limited"]);
    // Another client behind the same proxy has its own budget (the address really comes from the header).
    expect(await wrongSignIn(server, form!, { "x-forwarded-for": "203.0.113.5, 198.51.100.8" })).toBe("refused");
  } finally {
    await server.stop();
  }
});

test("plain `next start` in production refuses to start and names `npm run serve`", async () => {
  test.setTimeout(60_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-next-start-"));
  folders.push(dataDir);
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(BASE_PORT + 13), "-H", "127.0.0.1"],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATA_DIR: dataDir,
        AUTH_SECRET: process.env.AUTH_SECRET!,
        AUTH_TRUST_HOST: "true",
        RESET_DESK_SERVER: "",
      },
    },
  );
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c));
  child.stderr.on("data", (c: Buffer) => (output += c));
  let exited = false;
  child.on("exit", () => (exited = true));
  // Whether Next.js registers instrumentation at start or on the first request, ask once in a while.
  const poke = setInterval(() => {
    if (!exited) fetch(`http://127.0.0.1:${BASE_PORT + 13}/api/health`).catch(() => {});
  }, 1000);
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, 45_000);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  clearInterval(poke);
  expect(code, output).toBe(1);
  expect(output).toContain("npm run serve");
});
