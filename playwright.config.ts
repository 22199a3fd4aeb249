import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { serverLogPath } from "./e2e/server-log";

const port = Number(process.env.E2E_PORT || 3100);
const baseURL = `http://localhost:${port}`;

// Debian's chromium where installed (CI, these machines); Playwright's own elsewhere.
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "npx tsx e2e/server.ts",
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      APP_URL: baseURL,
      AUTH_SECRET: process.env.AUTH_SECRET || "e2e-secret-e2e-secret-e2e-secret-0123456789",
      AUTH_TRUST_HOST: "true",
      EMAIL_TRANSPORT: "outbox",
      // /dev/mailbox sends test emails into the desk through the signed webhook.
      // A fresh signing secret per run (the dev mailbox form signs its events with it).
      RESEND_WEBHOOK_SECRET: process.env.RESEND_WEBHOOK_SECRET || `whsec_${randomBytes(24).toString("base64")}`,
      E2E_SERVER_LOG: serverLogPath(port),
      RATE_LIMIT_SIGNIN_PER_IP: "100000",
      // The e2e agent and admin sign in from nearly every spec, every attempt counting against
      // one account in a 15-minute window; the per-account limit is tested on its own servers
      // (two-instances, client-address).
      RATE_LIMIT_SIGNIN_PER_ACCOUNT: "1000",
      RATE_LIMIT_LINK_PER_IP: "100000",
      RATE_LIMIT_TOKEN_PER_IP: "100000",
      RATE_LIMIT_CONTACT_PER_IP: "100000",
      // The suite checks flows, not capacity (that is npm run bench): with
      // Chromium and parallel specs on two cores a hash can queue past the
      // 2 s default and get the /busy answer, which no flow here expects.
      HASH_MAX_WAIT_MS: "15000",
    },
  },
});
