// Measure phase: against a loaded database, the built app served as
// `npm run serve` does (server.mjs, NODE_ENV=production), the dashboard's
// counts checked against full counts, the pages timed as a signed-in admin,
// the notice against plain Node http, and EXPLAIN ANALYZE of every page
// query at full size. Runs again and again on the same data (issue 13 changes
// the desk's lookup and queue; the lead re-runs this on merged main).
import http from "node:http";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { incidentCounts, incidentCountsByScan } from "@/lib/campaigns/metrics";
import { startAppServer, type AppServer } from "@/test/app-server";
import { noticeAgainstPlainHttp } from "../lib/notice";
import { explainPages } from "./explain";
import { CAMPAIGN_NAME } from "./outcomes";
import { STAFF, STAFF_PASSWORD } from "./load-accounts";
import { signIn, timePages, type Target } from "./pages";
import { log, round, timed, type Figures } from "./steps";

export type MeasureOptions = { databaseUrl: string; appPort: number; rounds: number; warmupRounds: number; noticeSeconds: number };

export async function startRehearsalApp(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}): Promise<AppServer> {
  return startAppServer({
    port,
    readyTimeoutMs: 120_000,
    env: {
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: process.env.AUTH_SECRET!,
      EMAIL_TRANSPORT: "outbox",
      CAMPAIGN_WORKER_IN_APP: "false",
      ...extraEnv,
    },
  });
}

async function waitForFoldedCounters(db: Db) {
  for (let i = 0; i < 120; i++) {
    const [{ n }] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from counter_deltas`));
    if (n === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  log("  counter deltas are still being folded after two minutes; the counts read them anyway.");
}

async function randomCustomers(db: Db, count: number): Promise<Target[]> {
  const [range] = rowsOf<{ lo: string; hi: string }>(
    await db.execute(sql`select min(id)::int8 as lo, max(id)::int8 as hi from users where role = 'customer'`),
  );
  const lo = Number(range.lo);
  const span = Number(range.hi) - lo + 1;
  const ids = Array.from({ length: count * 2 }, () => lo + Math.floor(Math.random() * span));
  const rows = rowsOf<{ id: string; email: string; name: string | null }>(
    await db.execute(sql`select id, email, name from users where role = 'customer' and id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`),
  );
  return rows.slice(0, count).map((r) => ({ id: Number(r.id), email: r.email, name: r.name }));
}

export async function measure(db: Db, options: MeasureOptions): Promise<Figures> {
  const figures: Figures = {};
  const loadBefore = (await import("node:os")).loadavg();
  log(`Starting the built app (server.mjs, NODE_ENV=production) on port ${options.appPort}…`);
  const app = await startRehearsalApp(options.databaseUrl, options.appPort);
  try {
    await waitForFoldedCounters(db);

    log("Dashboard counts against full count(*) scans…");
    const counters = await timed(() => incidentCounts(db));
    const scan = await timed(() => incidentCountsByScan(db));
    const equal = JSON.stringify(counters.value) === JSON.stringify(scan.value);
    log(`  counters ${JSON.stringify(counters.value)} in ${round(counters.seconds * 1000, 1)} ms; scans ${equal ? "agree" : `DISAGREE: ${JSON.stringify(scan.value)}`} (${round(scan.seconds, 1)} s)`);
    figures.counts = { counters: counters.value, byScan: scan.value, equal, countersMs: round(counters.seconds * 1000, 1), scanSeconds: round(scan.seconds, 1) };

    const agent = new http.Agent({ keepAlive: true });
    const cookie = await signIn(agent, app.url, STAFF.admin.email, STAFF_PASSWORD);
    agent.destroy();
    const targets = await randomCustomers(db, options.rounds + options.warmupRounds);
    log(`Timing the pages: ${options.warmupRounds} warm-up + ${options.rounds} rounds, one request of each page a round, ${targets.length} random customers…`);
    const pages = await timePages({ base: app.url, cookie, targets, rounds: options.rounds, warmupRounds: options.warmupRounds, log });
    const baseline = pages.account.medianMs;
    figures.pages = Object.fromEntries(
      Object.entries(pages).map(([name, t]) => [name, { ...t, ratio: round(t.medianMs / baseline) }]),
    );
    for (const [name, t] of Object.entries(figures.pages as Record<string, { medianMs: number; ratio: number; errors: number }>)) {
      log(`  ${name.padEnd(10)} median ${t.medianMs} ms, ${t.ratio}× /account${t.errors ? `, ${t.errors} wrong answers` : ""}`);
    }

    log("The notice against plain Node http (wrk, three alternating rounds)…");
    figures.notice = await noticeAgainstPlainHttp(app.url, { seconds: options.noticeSeconds, plainPort: options.appPort + 7, log });

    log("EXPLAIN ANALYZE of every query the timed pages run…");
    const ids = rowsOf<{ admin: string; agent: string; campaign: string }>(
      await db.execute(sql`select (select id from users where email = ${STAFF.admin.email})::int8 as admin,
        (select id from users where email = ${STAFF.agent.email})::int8 as agent,
        (select id from campaigns where name = ${CAMPAIGN_NAME})::int8 as campaign`),
    )[0];
    figures.explain = await explainPages(options.databaseUrl, {
      admin: Number(ids.admin),
      agent: Number(ids.agent),
      campaign: Number(ids.campaign),
      customer: targets[0].id,
      customerEmail: targets[0].email,
      customerName: targets[0].name,
    });
    for (const [name, e] of Object.entries(figures.explain as Record<string, { totalMs?: number; seqScans?: string[]; error?: string }>)) {
      if (e.error) log(`  ${name.padEnd(22)} failed: ${e.error}`);
      else log(`  ${name.padEnd(22)} ${e.totalMs} ms${e.seqScans?.length ? `, sequential scans: ${e.seqScans.join(", ")}` : ""}`);
    }
    figures.serverPeakRssMiB = Math.round(app.memory().peak / 2 ** 20);
  } finally {
    await app.stop();
  }
  figures.loadAverage = { before: loadBefore.map((l) => round(l)), after: (await import("node:os")).loadavg().map((l) => round(l)) };
  return figures;
}
