// npm test: unit and integration tests (vitest), then a production build and
// the end-to-end tests (Playwright, Chromium). With DATABASE_URL set, the
// integration and e2e tests run on fresh databases on that PostgreSQL server.
import { spawnSync } from "node:child_process";

function run(label: string, command: string, args: string[], env: Record<string, string> = {}) {
  console.log(`\n━━ ${label} ━━ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\n✗ ${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

const database = process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
console.log(`Running every test on ${database}.`);
const only = process.argv[2];
if (!only || only === "unit") run("unit + integration", "node_modules/.bin/vitest", ["run"]);
if (!only || only === "e2e") {
  run("production build", process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    NODE_ENV: "production",
  });
  run("end-to-end", "node_modules/.bin/playwright", ["test"]);
}
console.log(`\n✓ All tests passed on ${database}.`);
