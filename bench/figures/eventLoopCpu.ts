// Issue 14, "use every core": where a sign-in's and a reset's CPU goes in the
// server, per thread, read from /proc/<pid>/task/*/stat before and after a
// closed-loop run over HTTP — the event loop (the main thread, tid = pid), the
// Argon2 hashing threads (the busiest other threads, HASH_CONCURRENCY of them)
// and the rest (V8's GC and compiler helpers, libuv). Then sign-ins/s with
// SERVER_WORKERS=1 and =2 in the same run, and the projection for bigger
// machines in docs/capacity.md from these measurements. PostgreSQL only
// (several workers need DATABASE_URL).
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { connect } from "@/db/client";
import { HASH_PARAMS } from "@/lib/passwords";
import { createTestDatabase } from "@/test/databases";
import { startAppServer, type AppServer } from "@/test/app-server";
import { closedLoop } from "../lib/load";
import { resetOnce } from "../lib/reset";
import { BENCH_PASSWORD, newPassword, seedBench, signInEmail } from "../lib/seed";
import { prepareSignIn, signInOnce } from "../lib/signin";
import type { FigureContext } from "../figures";
import { projectSignIns } from "../lib/event-loop-model";
import { childPids, splitThreadCpu, threadCpuMs } from "../lib/thread-cpu";

const SIGN_IN_ACCOUNTS = 2000;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
function rawVerifyPerSecondOneCore(seconds: number) {
  const run = spawnSync(
    process.execPath,
    [path.join(import.meta.dirname, "..", "lib", "raw-argon2.mjs"), JSON.stringify({ params: HASH_PARAMS, concurrency: 1, seconds, operation: "verify" })],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`raw Argon2 failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim()) as { perSecond: number; cpuMsPerUnit: number };
}

async function measureFlow(
  server: AppServer,
  hashThreads: number,
  seconds: number,
  send: (agent: http.Agent, n: number) => Promise<{ status: number; kind: string } | null>,
  counted: string[],
) {
  const pids = [server.pid, ...childPids(server.pid)];
  const before = new Map(pids.map((p) => [p, threadCpuMs(p)]));
  const run = await closedLoop({ concurrency: 8, durationMs: seconds * 1000, send, admittedKinds: counted });
  const done = counted.reduce((a, k) => a + (run.kinds[k] ?? 0), 0);
  const split = { eventLoopMs: 0, hashingThreadsMs: 0, otherThreadsMs: 0 };
  for (const p of pids) {
    // In a cluster the primary only forks: its workers hold the loops and the hashing threads.
    const s = splitThreadCpu(p, before.get(p)!, threadCpuMs(p), p === server.pid && pids.length > 1 ? 0 : hashThreads);
    split.eventLoopMs += s.eventLoopMs;
    split.hashingThreadsMs += s.hashingThreadsMs;
    split.otherThreadsMs += s.otherThreadsMs;
  }
  const per = (ms: number) => (done > 0 ? round(ms / done, 2) : null);
  return {
    done,
    perSecond: round(done / run.seconds),
    kinds: run.kinds,
    statuses: run.statuses,
    latencyMs: run.latencyMs.admitted ?? null,
    cpuMsPer: { eventLoop: per(split.eventLoopMs), hashingThreads: per(split.hashingThreadsMs), otherThreads: per(split.otherThreadsMs) },
    generatorCpuShare: run.generatorCpuShare,
  };
}

export default async function eventLoopCpu(ctx: FigureContext) {
  if (!ctx.databaseUrl) return { pending: "needs PostgreSQL (SERVER_WORKERS > 1 needs DATABASE_URL)" };
  const seconds = Math.max(8, Math.min(ctx.pageSeconds, 15));
  const basePort = (ctx.appUrl ? Number(new URL(ctx.appUrl).port) : 3501) + 20;
  const created = await createTestDatabase();
  const seedHandle = await connect({ databaseUrl: created.url, poolMax: 4 });
  const resets = Math.ceil(seconds * 60);
  const { tokens } = await seedBench(seedHandle.db, { signIn: SIGN_IN_ACCOUNTS, reset: resets });
  await seedHandle.close();
  const env = (workers: number) => ({
    DATABASE_URL: created.url!,
    AUTH_SECRET: process.env.AUTH_SECRET || "bench-secret-bench-secret-bench-secret-0123456789",
    SERVER_WORKERS: String(workers),
    RATE_LIMIT_SIGNIN_PER_IP: "100000",
    RATE_LIMIT_SIGNIN_PER_ACCOUNT: "10000",
    RATE_LIMIT_TOKEN_PER_IP: "100000",
    RATE_LIMIT_LINK_PER_IP: "100000",
  });
  const cores = os.availableParallelism();
  // What each process runs with by default (lib/http/cluster.mjs, lib/passwords/admission.ts).
  const hashThreadsOne = Math.max(1, cores - 1);
  const hashThreadsTwo = Math.max(1, Math.floor((cores - 2) / 2));
  const out: Record<string, unknown> = { cores, database: "PostgreSQL (fresh database)", seconds };
  let server: AppServer | undefined;
  try {
    // One process: sign-ins, then resets, CPU per thread.
    server = await startAppServer({ port: basePort, env: env(1) });
    const form = await prepareSignIn(new http.Agent(), server.url);
    if (!form) throw new Error("no sign-in form");
    const signIn = (target: AppServer) => (agent: http.Agent, n: number) =>
      signInOnce(agent, target.url, form, signInEmail(n % SIGN_IN_ACCOUNTS), BENCH_PASSWORD);
    await closedLoop({ concurrency: 4, durationMs: 3000, send: signIn(server) }); // warm-up
    const one = await measureFlow(server, hashThreadsOne, seconds, signIn(server), ["signed-in", "refused"]);
    ctx.log(`  1 process: ${one.perSecond} sign-ins/s; CPU per sign-in ${JSON.stringify(one.cpuMsPer)} ms`);
    let next = 0;
    const app = server;
    const reset = await measureFlow(
      server,
      hashThreadsOne,
      seconds,
      async (agent) => (next < tokens.length ? resetOnce(agent, app.url, tokens[next], newPassword(next++)) : null),
      ["reset"],
    );
    ctx.log(`  1 process: ${reset.perSecond} resets/s; CPU per reset ${JSON.stringify(reset.cpuMsPer)} ms`);
    await server.stop();

    // Two processes on the one port (SERVER_WORKERS=2), same load.
    server = await startAppServer({ port: basePort + 1, env: env(2) });
    await closedLoop({ concurrency: 4, durationMs: 3000, send: signIn(server) });
    const two = await measureFlow(server, hashThreadsTwo, seconds, signIn(server), ["signed-in", "refused"]);
    ctx.log(`  2 processes: ${two.perSecond} sign-ins/s; CPU per sign-in ${JSON.stringify(two.cpuMsPer)} ms`);
    await server.stop();
    server = undefined;

    // One core's Argon2 rate, by CPU time (a shared machine's wall clock would understate it).
    const raw = rawVerifyPerSecondOneCore(5);
    const hashMs = raw.cpuMsPerUnit;
    out.rawVerify = { wallClockPerSecond: round(raw.perSecond), cpuMsPerVerify: round(hashMs, 2), perCorePerSecond: round(1000 / hashMs) };
    out.signIn = { oneProcess: one, twoProcesses: two };
    out.reset = { oneProcess: reset };
    out.eventLoopMsPerSignIn = one.cpuMsPer.eventLoop;
    out.eventLoopMsPerReset = reset.cpuMsPer.eventLoop;
    out.hashingMsPerSignIn = one.cpuMsPer.hashingThreads;
    out.hashingMsPerReset = reset.cpuMsPer.hashingThreads;
    out.measuredSignInsPerSecond = { "1": one.perSecond, "2": two.perSecond };
    out.projection = projectSignIns({
      eventLoopMs: one.cpuMsPer.eventLoop ?? 0,
      otherThreadsMs: one.cpuMsPer.otherThreads ?? 0,
      hashMs,
      cores: [2, 8, 16, 64],
    });
    out.note =
      "CPU per sign-in from /proc/<pid>/task/*/stat of the server (10 ms ticks), divided by the sign-ins of the run; hashing threads = the HASH_CONCURRENCY busiest non-main threads. " +
      "PostgreSQL and the load generator share these two cores, so the measured rates are below what the projection gives for 2 cores.";
    return out;
  } finally {
    await server?.stop();
    await created.drop();
  }
}
