// npm start: the whole demo on a fresh machine. Builds (when the sources are
// newer than the build), migrates and seeds the embedded database, starts the
// production server on port 3000, and prints the URL and the demo sign-ins.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = process.cwd();
const port = process.env.PORT || "3000";
const appUrl = process.env.APP_URL || `http://localhost:${port}`;
const dataDir = process.env.DATA_DIR || ".data";

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(full));
    else if (/\.(tsx?|css|mjs)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function needsBuild(): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (process.argv.includes("--rebuild") || !fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return ["app", "lib", "db", "emails", "public"].some(
    (d) => fs.existsSync(d) && newestSourceTime(path.join(root, d)) > built,
  ) || fs.statSync("next.config.ts").mtimeMs > built;
}

/** A secret per data folder, made once, never committed. */
function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "auth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(33).toString("base64"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  process.env.AUTH_SECRET = authSecret();
  process.env.APP_URL = appUrl;
  process.env.EMAIL_TRANSPORT ||= "outbox";

  if (needsBuild()) {
    console.log("Building the app (about a minute on two cores)…");
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  // Migrate and seed in this process, then let go of the data folder.
  const { connect } = await import("@/db/client");
  const { seedDemo, DEMO_ACCOUNTS, DEMO_CUSTOMER_COUNT } = await import("@/db/seed");
  const handle = await connect({ databaseUrl: process.env.DATABASE_URL, dataDir });
  const report = await seedDemo(handle.db, (line) => console.log(line), { breachDay: true });
  await handle.close();
  console.log(
    report.created ? `Seeded ${report.created} accounts.` : "Demo data already present: nothing seeded.",
  );

  const server = spawn(process.execPath, ["server.mjs"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production", PORT: port, AUTH_TRUST_HOST: "true", DATA_DIR: dataDir },
  });
  server.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    process.stdout.write(text);
    if (text.includes("listening")) {
      console.log(`
Reset Desk is running: ${appUrl}

Demo sign-ins:
${DEMO_ACCOUNTS.map((a) => `  ${a.role.padEnd(6)} ${a.email.padEnd(20)} password: ${a.password}`).join("\n")}
  customers: customer001@example.com … customer${String(DEMO_CUSTOMER_COUNT).padStart(3, "0")}@example.com
             (passwords expired: use "Forgot your password?", then read ${appUrl}/dev/mailbox)

Stop with Ctrl+C.`);
    }
  });
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
