// npm run bench: Reset Desk's capacity, each figure a ratio against its limit
// measured in the same run on the same machine (issue 7, SPEC 7). Starts a
// throwaway PostgreSQL (or a fresh database on DATABASE_URL), seeds it, starts
// the production build (server.mjs) and loads it on loopback. Writes
// bench/results/latest.json and latest.svg. Needs `next build` first (done for
// you when .next is missing) and Debian's wrk (apt-get install -y wrk) for the
// cheap pages; without wrk a Node generator is used and its CPU reported.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { connect } from "@/db/client";
import { HASH_PARAMS, hashingConcurrency } from "@/lib/passwords";
import { createTestDatabase } from "@/test/databases";
import { hasProductionBuild, startAppServer, type AppServer } from "@/test/app-server";
import { startThrowawayCluster } from "@/test/pg-cluster";
import { closedLoop, httpRequest, type LoadResult } from "./lib/load";
import { writePlan } from "./lib/plan";
import { table, svgChart, type Row } from "./lib/report";
import { resetOnce } from "./lib/reset";
import { BENCH_PASSWORD, newPassword, seedBench, signInEmail } from "./lib/seed";
import { prepareSignIn, signInOnce } from "./lib/signin";
import { hasWrk, measureThroughput } from "./lib/wrk";
import { figureNames, onlyFigures, runFigures } from "./figures";
import { noticeAgainstPlainHttp } from "./lib/notice";

const APP_PORT = Number(process.env.BENCH_PORT || 3501);
const PG_PORT = Number(process.env.BENCH_PG_PORT || 3519);
const FLOW_SECONDS = Number(process.env.BENCH_SECONDS || 20);
const PAGE_SECONDS = Number(process.env.BENCH_PAGE_SECONDS || 10);
const MIX_SECONDS = Number(process.env.BENCH_MIX_SECONDS || 15);
const RSS_BOUND_BYTES = 1024 * 1024 * 1024; // the stated bound under overload: 1 GiB
const EXPIRY_ROWS = Number(process.env.BENCH_EXPIRY_ROWS || 1_000_000);
const CAMPAIGN_SIZES = [10_000, 1_000_000];

const concurrency = hashingConcurrency();
const maxWaiting = Number(process.env.HASH_MAX_WAITING || 64);
const resultsDir = path.join(import.meta.dirname, "results");

process.env.AUTH_SECRET ||= "bench-secret-bench-secret-bench-secret-0123456789";
process.env.APP_URL ||= `http://localhost:${APP_PORT}`;
process.env.EMAIL_TRANSPORT ||= "outbox";

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : null);

function rawArgon2(operation: "verify" | "hash+verify", seconds: number, at = concurrency) {
  const run = spawnSync(
    process.execPath,
    [path.join(import.meta.dirname, "lib", "raw-argon2.mjs"), JSON.stringify({ params: HASH_PARAMS, concurrency: at, seconds, operation })],
    { encoding: "utf8", env: { ...process.env, UV_THREADPOOL_SIZE: String(at + 4) } },
  );
  if (run.status !== 0) throw new Error(`raw Argon2 run failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim()) as { perSecond: number; units: number; seconds: number };
}

async function database(): Promise<{ url?: string; baseUrl?: string; dataDir?: string; cleanup: () => Promise<void>; kind: string }> {
  if (process.env.DATABASE_URL) {
    const created = await createTestDatabase();
    return { url: created.url, baseUrl: process.env.DATABASE_URL, cleanup: created.drop, kind: "PostgreSQL (DATABASE_URL, fresh database)" };
  }
  const cluster = startThrowawayCluster(PG_PORT, ["shared_buffers=256MB", "max_wal_size=4GB", "synchronous_commit=off"]);
  if ("url" in cluster) {
    return { url: cluster.url, baseUrl: cluster.url, cleanup: async () => cluster.stop(), kind: `PostgreSQL (throwaway cluster on ${PG_PORT}, fsync off)` };
  }
  log(`No PostgreSQL (${cluster.skipped}): using embedded PGlite, which serialises queries.`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-bench-"));
  return { dataDir, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }), kind: "embedded PGlite" };
}

/** bench/expiry.ts and bench/campaign.ts come from the campaign issue; called when present. */
async function optionalHook(file: string, exportName: string, options: Record<string, unknown>): Promise<Record<string, unknown>> {
  const full = path.join(import.meta.dirname, file);
  if (!fs.existsSync(full)) return { pending: `${file} is not on this branch yet (campaign issue)` };
  const mod = (await import(pathToFileURL(full).href)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== "function") {
    return { pending: `${file} exports ${Object.keys(mod).join(", ") || "nothing"}, not ${exportName}()` };
  }
  return (await fn(options)) as Record<string, unknown>;
}

async function main() {
  const only = onlyFigures();
  if (only) return runOnly(only);
  const startedAt = new Date();
  log(`${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (!hasProductionBuild()) {
    log("No production build: running next build (about a minute)…");
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (build.status !== 0) throw new Error("next build failed");
  }
  if (!hasWrk()) log("wrk is not installed (apt-get install -y wrk): the Node generator measures pages instead.");

  const db = await database();
  log(`Database: ${db.kind}`);
  let server: AppServer | undefined;
  const results: Record<string, unknown> = {};
  try {
    // Seed before the server starts (PGlite allows one process at a time).
    const signInAccounts = 8000;
    const resetAccounts = Math.ceil(FLOW_SECONDS * 400);
    const handle = await connect({ databaseUrl: db.url, dataDir: db.dataDir });
    const { tokens } = await seedBench(handle.db, { signIn: signInAccounts, reset: resetAccounts });
    await handle.close();
    log(`Seeded ${signInAccounts} sign-in accounts and ${tokens.length} reset links.`);

    log(`Raw Argon2 at concurrency ${concurrency} (m=${HASH_PARAMS.memoryCost}, t=${HASH_PARAMS.timeCost}, p=${HASH_PARAMS.parallelism})…`);
    const rawVerify = rawArgon2("verify", 8);
    const rawReset = rawArgon2("hash+verify", 8);
    results.rawArgon2 = { concurrency, params: HASH_PARAMS, verifyPerSecond: round(rawVerify.perSecond, 1), hashPlusVerifyPerSecond: round(rawReset.perSecond, 1) };
    log(`  verify ${rawVerify.perSecond.toFixed(1)}/s, hash+verify ${rawReset.perSecond.toFixed(1)}/s`);

    const serverLog = path.join(os.tmpdir(), `rd-bench-server-${process.pid}.log`);
    const serverErrors: string[] = [];
    const startServer = (hashConcurrency: number) =>
      startAppServer({
        port: APP_PORT,
        log: (line) => {
          fs.appendFileSync(serverLog, `${line}\n`);
          if (/error|exception|unhandled/i.test(line) && serverErrors.length < 20) serverErrors.push(line.slice(0, 300));
        },
        env: {
          ...(db.url ? { DATABASE_URL: db.url } : { DATA_DIR: db.dataDir! }),
          AUTH_SECRET: process.env.AUTH_SECRET!,
          HASH_CONCURRENCY: String(hashConcurrency),
          HASH_MAX_WAITING: String(maxWaiting),
          RATE_LIMIT_SIGNIN_PER_IP: "100000",
          RATE_LIMIT_SIGNIN_PER_ACCOUNT: "10000",
          RATE_LIMIT_TOKEN_PER_IP: "100000",
          RATE_LIMIT_LINK_PER_IP: "100000",
        },
      });
    server = await startServer(concurrency);
    const app = server;
    log(`Server on ${app.url} (pid ${app.pid}, ${Math.round(app.memory().rss / 2 ** 20)} MiB)`);

    // (4) The notice against a static file served by the same server.
    const staticUrl = `${app.url}/bench-static.html`;
    const noticeUrl = `${app.url}/notice`;
    const noticeStatus = (await fetch(noticeUrl)).status;
    await fetch(staticUrl);
    const staticRun = await measureThroughput(staticUrl, { connections: 32, seconds: PAGE_SECONDS });
    log(`  static file ${staticRun.perSecond}/s (${staticRun.generator})`);
    if (noticeStatus === 200) {
      const compared = await noticeAgainstPlainHttp(app.url, { seconds: PAGE_SECONDS, plainPort: Number(new URL(app.url).port) + 7, log });
      results.notice = {
        staticFile: staticRun,
        notice: compared.notice,
        plainHttp: compared.plainHttp,
        ratio: ratio(compared.notice.perSecond, staticRun.perSecond),
        rounds: compared.rounds,
        plainHttpRatio: compared.plainHttpRatio,
        servedFromMemory: compared.servedFromMemory,
      };
    } else {
      results.notice = { staticFile: staticRun, pending: `/notice answered ${noticeStatus} (notice issue not merged)` };
    }

    // (1) Sign-ins against the raw verify rate.
    const agentForCsrf = new (await import("node:http")).Agent({ keepAlive: false });
    const signIn = await prepareSignIn(agentForCsrf, app.url);
    const signInFlow = async (connections: number, seconds: number, honourRetryAfter = false, target = app) =>
      closedLoop({
        concurrency: connections,
        durationMs: seconds * 1000,
        honourRetryAfter,
        admittedKinds: ["signed-in", "refused"],
        send: (agent, n) => signInOnce(agent, target.url, signIn!, signInEmail(n % signInAccounts), BENCH_PASSWORD),
      });
    // Enough virtual users to keep every hash slot busy whatever the concurrency.
    const flowConnections = Math.max(8, concurrency * 4);
    if (signIn) {
      await signInFlow(concurrency, 2); // warm-up
      const cpu0 = app.cpuSeconds();
      const run = await signInFlow(flowConnections, FLOW_SECONDS);
      const answered = (run.kinds["signed-in"] ?? 0) + (run.kinds.refused ?? 0);
      const perSecond = round(answered / run.seconds, 1);
      results.signIn = { ...run, signInsPerSecond: perSecond, serverCpuShare: round((app.cpuSeconds() - cpu0) / run.seconds), ratio: ratio(perSecond, rawVerify.perSecond) };
      log(`  sign-ins ${perSecond}/s (${JSON.stringify(run.kinds)})`);
    } else {
      results.signIn = { pending: "no sign-in form at /login on this branch" };
    }

    // (2) Password resets against one hash plus one verify.
    let next = 0;
    const probeAgent = new (await import("node:http")).Agent({ keepAlive: true });
    const resetProbe = tokens.length ? await resetOnce(probeAgent, app.url, tokens[next], newPassword(next++)) : null;
    probeAgent.destroy();
    if (resetProbe && resetProbe.kind === "reset") {
      const cpu0 = app.cpuSeconds();
      const run: LoadResult = await closedLoop({
        concurrency: flowConnections,
        durationMs: FLOW_SECONDS * 1000,
        admittedKinds: ["reset"],
        send: async (agent) =>
          next < tokens.length ? resetOnce(agent, app.url, tokens[next], newPassword(next++)) : null,
      });
      const perSecond = round((run.kinds.reset ?? 0) / run.seconds, 1);
      results.reset = { ...run, resetsPerSecond: perSecond, serverCpuShare: round((app.cpuSeconds() - cpu0) / run.seconds), ratio: ratio(perSecond, rawReset.perSecond) };
      log(`  resets ${perSecond}/s (${JSON.stringify(run.kinds)})`);
    } else {
      results.reset = { pending: resetProbe ? `a reset through the form gave ${JSON.stringify(resetProbe)}` : "no reset pages (/reset-password) on this branch yet" };
    }

    // The choice of HASH_CONCURRENCY: a sign-in storm with people loading the
    // sign-in page at the same time, here and below with every core hashing.
    const stormMix = async (target: AppServer) => {
      const pages = closedLoop({
        concurrency: 2,
        durationMs: MIX_SECONDS * 1000,
        admittedKinds: ["page"],
        send: async (agent) => {
          const reply = await httpRequest(agent, `${target.url}/login`);
          return { status: reply.status, kind: reply.status === 200 ? "page" : "other" };
        },
      });
      const signIns = await signInFlow(flowConnections, MIX_SECONDS, false, target);
      const pageRun = await pages;
      return {
        seconds: MIX_SECONDS,
        signInsPerSecond: round(((signIns.kinds["signed-in"] ?? 0) + (signIns.kinds.refused ?? 0)) / signIns.seconds, 1),
        signInLatencyMs: signIns.latencyMs.admitted ?? null,
        pagesPerSecond: round((pageRun.kinds.page ?? 0) / pageRun.seconds, 1),
        pageLatencyMs: pageRun.latencyMs.page ?? null,
        statuses: { signIn: signIns.statuses, page: pageRun.statuses },
      };
    };
    const choice: Record<string, Record<string, unknown>> = {};
    if (signIn) {
      choice[String(concurrency)] = { default: true, rawVerifyPerSecond: round(rawVerify.perSecond, 1), signInRatio: (results.signIn as { ratio?: number }).ratio ?? null, storm: await stormMix(app) };
      log(`  storm at HASH_CONCURRENCY ${concurrency}: ${JSON.stringify(choice[String(concurrency)].storm)}`);
    }

    // (3) Overload: 20 × the admission capacity (running + waiting) in concurrent sign-ins.
    if (signIn) {
      const connections = 20 * (concurrency + maxWaiting);
      let peakSampled = 0;
      const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, app.memory().rss)), 100);
      const run = await signInFlow(connections, FLOW_SECONDS, true);
      clearInterval(sampler);
      const stoppedAt = performance.now();
      // Recovery: sign-ins one after another as soon as the storm stops.
      const recovery: { ms: number; kind: string }[] = [];
      const agent = new (await import("node:http")).Agent({ keepAlive: true });
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        const outcome = await signInOnce(agent, app.url, signIn, signInEmail(i), BENCH_PASSWORD);
        recovery.push({ ms: round(performance.now() - t0, 1), kind: outcome.kind });
      }
      agent.destroy();
      const allowed = new Set(["200", "302", "303", "401", "429", "503"]);
      const unexpected = Object.fromEntries(Object.entries(run.statuses).filter(([s]) => !allowed.has(s)));
      const peak = Math.max(peakSampled, app.memory().peak);
      results.overload = {
        connections,
        definition: `20 × (HASH_CONCURRENCY ${concurrency} + HASH_MAX_WAITING ${maxWaiting}) virtual users signing in at once; each waits the Retry-After of a busy answer, as the page asks`,
        ...run,
        unexpectedStatuses: unexpected,
        peakRssBytes: peak,
        rssBoundBytes: RSS_BOUND_BYTES,
        withinBound: peak <= RSS_BOUND_BYTES,
        admittedLatencyMs: run.latencyMs.admitted ?? null,
        recovery: {
          firstSignInAfterMs: round(recovery[0].ms, 1),
          allAdmitted: recovery.every((r) => r.kind === "signed-in"),
          secondsFromStopToTenSignIns: round((performance.now() - stoppedAt) / 1000),
          attempts: recovery,
        },
      };
      log(`  overload: ${JSON.stringify(run.statuses)}, peak RSS ${Math.round(peak / 2 ** 20)} MiB, admitted p50/p99 ${JSON.stringify(run.latencyMs.admitted)}`);
    } else {
      results.overload = { pending: "needs sign-in (next-auth) on this branch" };
    }
    // The limits again, now that the server is idle: the larger of the two
    // measurements is the limit, so noise on a shared machine cannot flatter a ratio.
    results.serverPeakRssBytes = app.memory().peak;
    results.serverLog = { path: serverLog, firstErrorLines: serverErrors };
    await app.stop();
    server = undefined;
    const allCores = os.availableParallelism?.() ?? os.cpus().length;
    if (signIn && allCores !== concurrency) {
      const rawAll = rawArgon2("verify", 8, allCores);
      server = await startServer(allCores);
      const every = server;
      await signInFlow(allCores, 2, false, every); // warm-up
      const alone = await signInFlow(Math.max(8, allCores * 4), FLOW_SECONDS, false, every);
      const perSecond = round(((alone.kinds["signed-in"] ?? 0) + (alone.kinds.refused ?? 0)) / alone.seconds, 1);
      choice[String(allCores)] = {
        default: false,
        rawVerifyPerSecond: round(rawAll.perSecond, 1),
        signInsPerSecond: perSecond,
        signInRatio: ratio(perSecond, rawAll.perSecond),
        storm: await stormMix(every),
      };
      await every.stop();
      server = undefined;
      log(`  every core hashing (${allCores}): sign-ins ${perSecond}/s alone (raw ${round(rawAll.perSecond, 1)}/s); storm ${JSON.stringify(choice[String(allCores)].storm)}`);
    }
    results.concurrencyChoice = choice;
    const verifyAfter = rawArgon2("verify", 8);
    const resetAfter = rawArgon2("hash+verify", 8);
    const raw = results.rawArgon2 as Record<string, number>;
    raw.verifyPerSecondBefore = raw.verifyPerSecond;
    raw.verifyPerSecondAfter = round(verifyAfter.perSecond, 1);
    raw.hashPlusVerifyPerSecondBefore = raw.hashPlusVerifyPerSecond;
    raw.hashPlusVerifyPerSecondAfter = round(resetAfter.perSecond, 1);
    raw.verifyPerSecond = Math.max(raw.verifyPerSecondBefore, raw.verifyPerSecondAfter);
    raw.hashPlusVerifyPerSecond = Math.max(raw.hashPlusVerifyPerSecondBefore, raw.hashPlusVerifyPerSecondAfter);
    log(`  raw Argon2 again: verify ${raw.verifyPerSecondAfter}/s, hash+verify ${raw.hashPlusVerifyPerSecondAfter}/s (limits: the larger)`);
    const signInResult = results.signIn as Record<string, number>;
    if (signInResult.signInsPerSecond) signInResult.ratio = ratio(signInResult.signInsPerSecond, raw.verifyPerSecond)!;
    const defaultChoice = choice[String(concurrency)];
    if (defaultChoice) {
      Object.assign(defaultChoice, { rawVerifyPerSecond: raw.verifyPerSecond, signInsPerSecond: signInResult.signInsPerSecond, signInRatio: signInResult.ratio });
    }
    const resetResult = results.reset as Record<string, number>;
    if (resetResult.resetsPerSecond) resetResult.ratio = ratio(resetResult.resetsPerSecond, raw.hashPlusVerifyPerSecond)!;

    // (5) and (6) from the campaign issue (bench/expiry.ts, bench/campaign.ts), on
    // fresh databases of the same PostgreSQL server (they read DATABASE_URL).
    if (db.baseUrl) process.env.DATABASE_URL = db.baseUrl;
    const expiry = db.baseUrl
      ? await optionalHook("expiry.ts", "benchExpiry", { rows: EXPIRY_ROWS, log })
      : { pending: "needs PostgreSQL" };
    results.expiry = {
      ...expiry,
      rowsPerSecond: expiry.keysetRowsPerSecond ?? expiry.rowsPerSecond,
      plainUpdateRowsPerSecond: expiry.plainRowsPerSecond ?? expiry.plainUpdateRowsPerSecond,
    };
    const campaign: Record<string, unknown> = {};
    for (const recipients of CAMPAIGN_SIZES) {
      const one = db.baseUrl
        ? await optionalHook("campaign.ts", "benchCampaign", { recipients, log })
        : { pending: "needs PostgreSQL" };
      campaign[String(recipients)] = {
        ...one,
        ...(typeof one.peakRssMiB === "number" ? { peakRssBytes: Math.round(one.peakRssMiB * 2 ** 20) } : {}),
      };
    }
    results.campaign = campaign;

    // Figures of later issues (bench/figures/*.ts).
    const figureApp = (server as AppServer | undefined) ?? (server = await startServer(concurrency));
    await runFigures(figureNames(), { log, databaseUrl: db.baseUrl, appUrl: figureApp.url, appPid: figureApp.pid, pageSeconds: PAGE_SECONDS }, results);
  } finally {
    await server?.stop();
    await db.cleanup();
  }

  const finishedAt = new Date();
  const r = results as Record<string, Record<string, unknown>>;
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  const overloadOk =
    r.overload && !r.overload.pending
      ? Object.keys(r.overload.unexpectedStatuses as object).length === 0 && r.overload.withinBound === true
      : null;
  const expiry = r.expiry ?? {};
  const campaignBig = ((r.campaign ?? {}) as Record<string, Record<string, unknown>>)[String(CAMPAIGN_SIZES[1])] ?? {};
  const campaignSmall = ((r.campaign ?? {}) as Record<string, Record<string, unknown>>)[String(CAMPAIGN_SIZES[0])] ?? {};
  const rows: Row[] = [
    {
      key: "signIn",
      figure: "(1) sign-ins/s ÷ raw verify/s",
      measured: r.signIn.pending ? "—" : `${r.signIn.signInsPerSecond}/s`,
      limit: `${r.rawArgon2.verifyPerSecond}/s`,
      ratio: num(r.signIn.ratio),
      target: 0.7,
      note: r.signIn.pending as string | undefined,
    },
    ...Object.entries((r.concurrencyChoice ?? {}) as Record<string, Record<string, unknown>>)
      .filter(([, c]) => !c.default)
      .map(([hashes, c]): Row => {
        const mine = ((r.concurrencyChoice as Record<string, Record<string, unknown>>)[String(concurrency)]?.storm ?? {}) as Record<string, unknown>;
        const theirs = (c.storm ?? {}) as Record<string, unknown>;
        const p99 = (x: Record<string, unknown>) => (x.pageLatencyMs as { p99?: number } | null)?.p99 ?? "?";
        return {
          key: "signInEveryCore",
          figure: `(1′) same, ${hashes} hashes at once (every core)`,
          measured: `${c.signInsPerSecond}/s`,
          limit: `${c.rawVerifyPerSecond}/s`,
          ratio: num(c.signInRatio),
          target: null,
          note: `storm with page loads: ${theirs.signInsPerSecond} sign-ins/s + ${theirs.pagesPerSecond} pages/s (p99 ${p99(theirs)} ms) vs default ${mine.signInsPerSecond} + ${mine.pagesPerSecond} (p99 ${p99(mine)} ms)`,
        };
      }),
    {
      key: "reset",
      figure: "(2) resets/s ÷ raw hash+verify/s",
      measured: r.reset.pending ? "—" : `${r.reset.resetsPerSecond}/s`,
      limit: `${r.rawArgon2.hashPlusVerifyPerSecond}/s`,
      ratio: num(r.reset.ratio),
      target: 0.7,
      note: r.reset.pending as string | undefined,
    },
    {
      key: "overload",
      figure: "(3) overload peak RSS ÷ 1 GiB bound",
      measured: r.overload.pending ? "—" : `${Math.round((r.overload.peakRssBytes as number) / 2 ** 20)} MiB, no 500: ${overloadOk ? "yes" : "NO"}`,
      limit: "1024 MiB",
      ratio: r.overload.pending ? null : round((r.overload.peakRssBytes as number) / RSS_BOUND_BYTES),
      target: null,
      note: (r.overload.pending as string | undefined) ?? `lower is better; admitted p50/p99 ${JSON.stringify(r.overload.admittedLatencyMs)} ms`,
    },
    {
      key: "notice",
      figure: "(4) /notice/s ÷ static file/s",
      measured: r.notice.pending ? "—" : `${(r.notice.notice as { perSecond: number }).perSecond}/s`,
      limit: `${(r.notice.staticFile as { perSecond: number }).perSecond}/s`,
      ratio: num(r.notice.ratio),
      target: null,
      note: r.notice.pending as string | undefined,
    },
    {
      key: "noticePlainHttp",
      figure: "(4b) /notice/s ÷ plain Node http, same bytes",
      measured: r.notice.pending ? "—" : `${(r.notice.notice as { perSecond: number }).perSecond}/s`,
      limit: r.notice.plainHttp ? `${(r.notice.plainHttp as { perSecond: number }).perSecond}/s` : "—",
      ratio: num(r.notice.plainHttpRatio),
      target: 0.5,
      note: r.notice.pending as string | undefined,
    },
    {
      key: "expiry",
      figure: "(5) expiry rows/s ÷ plain UPDATE",
      measured: expiry.rowsPerSecond ? `${Math.round(expiry.rowsPerSecond as number)}/s` : "—",
      limit: expiry.plainUpdateRowsPerSecond ? `${Math.round(expiry.plainUpdateRowsPerSecond as number)}/s` : "—",
      ratio: num(expiry.ratio) ?? (num(expiry.rowsPerSecond) && num(expiry.plainUpdateRowsPerSecond) ? ratio(expiry.rowsPerSecond as number, expiry.plainUpdateRowsPerSecond as number) : null),
      target: 0.5,
      note: expiry.pending as string | undefined,
    },
    {
      key: "campaign",
      figure: "(6) campaign peak RSS 1M ÷ 10k",
      measured: campaignBig.emailsPerSecond ? `${Math.round(campaignBig.emailsPerSecond as number)} emails/s at 1M` : "—",
      limit: campaignSmall.peakRssBytes ? `${Math.round((campaignSmall.peakRssBytes as number) / 2 ** 20)} MiB at 10k` : "—",
      ratio: num(campaignBig.peakRssBytes) && num(campaignSmall.peakRssBytes) ? ratio(campaignBig.peakRssBytes as number, campaignSmall.peakRssBytes as number) : null,
      target: null,
      note: (campaignBig.pending as string | undefined) ?? "memory flat in recipients ⇒ ≈ 1",
    },
  ];
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryBytes: os.totalmem(),
    node: process.version,
    loadAverageAtEnd: os.loadavg().map((l) => round(l)),
    generator: hasWrk() ? "wrk for pages; Node closed loop (node:http) for sign-in, reset, overload" : "Node closed loop for everything",
    note: "Ratios are taken within one run, so both sides saw the same machine; compare the load average to judge how quiet it was.",
  };
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1),
    machine,
    settings: { hashConcurrency: concurrency, hashConcurrencyDefault: "cores − 1 (min 1), lib/passwords/admission.ts", hashMaxWaiting: maxWaiting, flowSeconds: FLOW_SECONDS, pageSeconds: PAGE_SECONDS, database: db.kind },
    summary: rows.map(({ key, figure, ratio: value, target }) => ({ key, figure, ratio: value, target })),
    results,
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(
    path.join(resultsDir, "latest.svg"),
    svgChart(rows, `${machine.cores} cores · ${startedAt.toISOString().slice(0, 16)}Z · ${db.kind} · shared machine`),
  );
  writePlan(
    path.join(import.meta.dirname, "..", "docs", "capacity.md"),
    report as unknown as Record<string, unknown>,
    Number(process.env.CAMPAIGN_CALLS_PER_SECOND || 2),
    Number(process.env.CAMPAIGN_BATCH_SIZE || 100),
  );
  console.log(`\n${table(rows)}\n`);
  log(`Wrote bench/results/latest.json, latest.svg and the plan in docs/capacity.md in ${report.seconds} s.`);
}

/** `--only a,b`: the app on a seeded database and just those figures; results in bench/results/only-a,b.json. */
async function runOnly(names: string[]) {
  const startedAt = new Date();
  if (!hasProductionBuild()) throw new Error("No production build: run `npm run build` first.");
  const db = await database();
  const results: Record<string, unknown> = {};
  let server: AppServer | undefined;
  try {
    const handle = await connect({ databaseUrl: db.url, dataDir: db.dataDir });
    await seedBench(handle.db, { signIn: 50, reset: 50 });
    await handle.close();
    server = await startAppServer({
      port: APP_PORT,
      env: { ...(db.url ? { DATABASE_URL: db.url } : { DATA_DIR: db.dataDir! }), AUTH_SECRET: process.env.AUTH_SECRET! },
    });
    if (db.baseUrl) process.env.DATABASE_URL = db.baseUrl;
    await runFigures(names, { log, databaseUrl: db.baseUrl, appUrl: server.url, appPid: server.pid, pageSeconds: PAGE_SECONDS }, results);
  } finally {
    await server?.stop();
    await db.cleanup();
  }
  const report = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), only: names, loadAverageAtEnd: os.loadavg(), results };
  const file = path.join(resultsDir, `only-${names.join(",")}.json`);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  log(`Wrote ${path.relative(process.cwd(), file)}.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
