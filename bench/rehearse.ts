// npm run rehearse -- N: the breach day at N customers, as an operator runs
// it, on a PostgreSQL 15 of its own (or --database-url). Two phases:
//   load     import N customers from a generated CSV with the CLI's import
//            code, expire them with the CLI's expiry code (each beside its
//            plain-SQL floor), run the campaign (a sample through the real
//            path at a set provider rate, the rest set-based), webhooks
//            (a signed sample over HTTP, the rest set-based), resets and
//            support requests; each step recorded in the database, so a
//            stopped load resumes where it stopped.
//   measure  the built app (server.mjs) on that database: the pages an
//            incident team opens, timed against /account, the notice against
//            plain http, EXPLAIN ANALYZE at full size; writes
//            bench/results/rehearsal-N.json. `--measure-only` runs just this,
//            as often as needed, against an already loaded database.
// The cluster is left running when the rehearsal ends (see README, Operations).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { connect, rowsOf, setDbHandle } from "@/db/client";
import { hasProductionBuild } from "@/test/app-server";
import { ensureCluster } from "./rehearsal/cluster";
import { loadAccounts } from "./rehearsal/load-accounts";
import { campaignRestSetBased, campaignThroughRealPath } from "./rehearsal/load-campaign";
import { webhooksThroughRealPath } from "./rehearsal/load-webhooks";
import { requestsSetBased, resetsSetBased, vacuumAnalyze } from "./rehearsal/load-desk";
import { measure, startRehearsalApp } from "./rehearsal/measure";
import { buildReport, summaryLines } from "./rehearsal/report";
import { finishedSteps, log, prepareSteps } from "./rehearsal/steps";

const USAGE = `npm run rehearse -- N [options]
  --measure-only           time the pages on an already loaded database (no load)
  --load-only              load, do not measure
  --database-url URL       use this PostgreSQL database instead of starting a cluster
  --pg-dir DIR             the cluster's folder (default .rehearsal/N); left running
  --pg-port PORT           the cluster's port (default 3650)
  --app-port PORT          the app's port (default 3640; the plain http server uses +7)
  --provider-rate N        provider calls per second of 100 emails (default 10)
  --real-sends N           emails sent through the real path (default min(N, 50000))
  --webhooks N             signed webhooks over HTTP (default 2000)
  --rounds N               timed rounds of every page (default 40; 5 warm-up rounds first)
  --notice-seconds N       seconds per wrk run for the notice (default 10)
  --out FILE               the report (default bench/results/rehearsal-N.json)`;

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "measure-only": { type: "boolean" },
      "load-only": { type: "boolean" },
      "database-url": { type: "string" },
      "pg-dir": { type: "string" },
      "pg-port": { type: "string" },
      "app-port": { type: "string" },
      "provider-rate": { type: "string" },
      "real-sends": { type: "string" },
      webhooks: { type: "string" },
      rounds: { type: "string" },
      "notice-seconds": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const rows = Number(positionals[0] ?? 100_000);
  if (!Number.isSafeInteger(rows) || rows < 1000) throw new Error(`Give the number of customers (at least 1,000), e.g. npm run rehearse -- 100000\n\n${USAGE}`);
  const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  return {
    rows,
    measureOnly: Boolean(values["measure-only"]),
    loadOnly: Boolean(values["load-only"]),
    databaseUrl: values["database-url"] ?? process.env.DATABASE_URL,
    pgDir: path.resolve(values["pg-dir"] ?? path.join(".rehearsal", String(rows))),
    pgPort: num(values["pg-port"], 3650),
    appPort: num(values["app-port"], 3640),
    providerRate: num(values["provider-rate"], 10),
    realSends: num(values["real-sends"], Math.min(rows, 50_000)),
    webhooks: num(values.webhooks, 2000),
    rounds: num(values.rounds, 40),
    noticeSeconds: num(values["notice-seconds"], 10),
    out: path.resolve(values.out ?? path.join("bench", "results", `rehearsal-${rows}.json`)),
  };
}

async function main() {
  const opts = options();
  process.env.AUTH_SECRET ||= "rehearsal-secret-rehearsal-secret-0123456789abcdef";
  process.env.APP_URL ||= `http://localhost:${opts.appPort}`;
  if (!hasProductionBuild()) throw new Error("No production build: run `npm run build` first (the pages are timed on the built app).");

  let databaseUrl = opts.databaseUrl;
  let clusterInfo: Record<string, unknown> = { kind: "DATABASE_URL" };
  if (!databaseUrl) {
    const cluster = ensureCluster(opts.pgDir, opts.pgPort, log);
    databaseUrl = cluster.url;
    clusterInfo = { kind: "rehearsal cluster", dataDir: cluster.dataDir, port: cluster.port, startCommand: cluster.startCommand };
  }
  process.env.DATABASE_URL = databaseUrl;
  const handle = await connect({ databaseUrl, poolMax: 10 });
  setDbHandle(handle);
  const db = handle.db;
  try {
    const [{ version, shared_buffers: sharedBuffers }] = rowsOf<{ version: string; shared_buffers: string }>(
      await db.execute(sql`select version(), current_setting('shared_buffers') as shared_buffers`),
    );
    log(`${opts.rows.toLocaleString("en-US")} customers on ${version.split(" on ")[0]} (shared_buffers ${sharedBuffers}), ${new URL(databaseUrl).host}`);

    if (!opts.measureOnly) {
      await prepareSteps(db);
      const csvFile = path.join(opts.databaseUrl ? fs.mkdtempSync(path.join((await import("node:os")).tmpdir(), "rd-rehearsal-")) : opts.pgDir, `customers-${opts.rows}.csv`);
      await loadAccounts(db, opts.rows, csvFile);
      fs.rmSync(csvFile, { force: true });
      await campaignThroughRealPath(db, { sample: opts.realSends, callsPerSecond: opts.providerRate, workers: 2 });
      if (!(await finishedSteps(db))["webhooks-real"]) {
        const secret = `whsec_${randomBytes(24).toString("base64")}`;
        const app = await startRehearsalApp(databaseUrl, opts.appPort, { RESEND_WEBHOOK_SECRET: secret });
        try {
          await webhooksThroughRealPath(db, { appUrl: app.url, secret, sample: opts.webhooks, shares: SHARES });
        } finally {
          await app.stop();
        }
      }
      await campaignRestSetBased(db, { shares: SHARES });
      await resetsSetBased(db, 0.03);
      await requestsSetBased(db, Math.max(100, Math.round(opts.rows / 1000)));
      await vacuumAnalyze(db);
      log("Load finished.");
    }
    if (opts.loadOnly) return;

    const steps = await finishedSteps(db);
    const loadedRows = (steps.csv?.figures as { rows?: number } | undefined)?.rows;
    if (!steps.vacuum || loadedRows !== opts.rows) {
      throw new Error(`This database holds no finished load of ${opts.rows.toLocaleString("en-US")} customers (found: ${loadedRows ?? "none"}). Run without --measure-only first.`);
    }
    const measureStartedAt = new Date();
    const measured = await measure(db, { databaseUrl, appPort: opts.appPort, rounds: opts.rounds, warmupRounds: 5, noticeSeconds: opts.noticeSeconds });
    const report = buildReport({
      rows: opts.rows,
      database: { ...clusterInfo, version, sharedBuffers },
      steps,
      measured,
      measureStartedAt,
      settings: { providerCallsPerSecond: opts.providerRate, realSends: opts.realSends, webhooks: opts.webhooks, shares: SHARES, resetShare: 0.03, rounds: opts.rounds },
    });
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\n${summaryLines(report).join("\n")}\n`);
    log(`Wrote ${path.relative(process.cwd(), opts.out)}.`);
  } finally {
    await handle.close();
    if (!opts.databaseUrl) log(`PostgreSQL is left running (${clusterInfo.dataDir}, port ${opts.pgPort}): --measure-only uses it again.`);
  }
}

const SHARES = { delivered: 0.9, bounced: 0.02, complained: 0.001 };

main().then(
  // A helper the rehearsal used (a pool, a timer) must not keep the command running once the report is written.
  () => process.exit(0),
).catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  // drizzle wraps the database's own message
  if (error instanceof Error && error.cause) console.error("Caused by:", error.cause);
  process.exit(1);
});
