// Started by Playwright's webServer: a throwaway database (a fresh PGlite
// folder, or a fresh database on DATABASE_URL's server), migrated and seeded,
// then the production server (server.mjs) on it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect } from "@/db/client";
import { createTestDatabase } from "@/test/databases";
import { seedE2e } from "./seed";

async function main() {
  const created = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-e2e-"));
  const handle = await connect({ databaseUrl: created.url, dataDir });
  await seedE2e(handle.db);
  await handle.close();

  // With E2E_SERVER_LOG set, the server's output is also written to that file,
  // so the abuse suite can search it for passwords and tokens (SPEC 5.9).
  const logFile = process.env.E2E_SERVER_LOG;
  const child = spawn(process.execPath, ["server.mjs"], {
    stdio: logFile ? ["ignore", "pipe", "pipe"] : "inherit",
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      ...(created.url ? { DATABASE_URL: created.url } : {}),
    },
  });
  if (logFile) {
    fs.mkdirSync(path.dirname(path.resolve(logFile)), { recursive: true });
    const log = fs.createWriteStream(logFile, { flags: "w" }); // one server run, one log
    child.stdout?.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      log.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      log.write(chunk);
    });
  }
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await created.drop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  child.on("exit", (code) => {
    if (code) process.exit(code);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
