// The rehearsal's bookkeeping, kept in the rehearsal's own database (a
// throwaway one): each finished step stores its figures in rehearsal_steps,
// so a load that stops half-way resumes at the first unfinished step, and the
// measure phase, run later against the loaded database, finds the load's
// figures there for the report. Progress lines go to the terminal.
import os from "node:os";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { progressLine } from "@/cli/context";

export type Figures = Record<string, unknown>;
export type StepRecord = { step: string; figures: Figures; startedAt: string; finishedAt: string; seconds: number; loadAverage: number[] };

export const log = (line: string) => console.log(`[rehearse ${new Date().toISOString().slice(11, 19)}] ${line}`);
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function prepareSteps(db: Db) {
  await db.execute(sql`
    create table if not exists rehearsal_steps (
      step text primary key,
      figures jsonb not null,
      started_at timestamptz not null,
      finished_at timestamptz not null,
      load_average jsonb not null
    )`);
}

export async function finishedSteps(db: Db): Promise<Record<string, StepRecord>> {
  const exists = rowsOf<{ t: string | null }>(await db.execute(sql`select to_regclass('rehearsal_steps')::text as t`));
  if (!exists[0]?.t) return {};
  const rows = rowsOf<{ step: string; figures: Figures | string; started_at: Date | string; finished_at: Date | string; load_average: number[] | string }>(
    await db.execute(sql`select step, figures, started_at, finished_at, load_average from rehearsal_steps order by started_at`),
  );
  const parse = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);
  return Object.fromEntries(
    rows.map((r) => {
      const startedAt = new Date(r.started_at).toISOString();
      const finishedAt = new Date(r.finished_at).toISOString();
      return [
        r.step,
        {
          step: r.step,
          figures: parse(r.figures),
          startedAt,
          finishedAt,
          seconds: round((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000, 1),
          loadAverage: parse(r.load_average),
        },
      ];
    }),
  );
}

/** Runs a step once: a step already finished in this database is skipped and its figures returned. */
export async function step(db: Db, name: string, title: string, run: () => Promise<Figures>): Promise<Figures> {
  const done = (await finishedSteps(db))[name];
  if (done) {
    log(`${title}: done earlier (${done.seconds} s), skipped.`);
    return done.figures;
  }
  log(`${title}…`);
  const startedAt = new Date();
  const figures = await run();
  const finishedAt = new Date();
  const loadAverage = os.loadavg().map((l) => round(l));
  await db.execute(sql`
    insert into rehearsal_steps (step, figures, started_at, finished_at, load_average)
    values (${name}, ${JSON.stringify(figures)}::jsonb, ${startedAt.toISOString()}::timestamptz, ${finishedAt.toISOString()}::timestamptz, ${JSON.stringify(loadAverage)}::jsonb)
    on conflict (step) do update set figures = excluded.figures, started_at = excluded.started_at, finished_at = excluded.finished_at, load_average = excluded.load_average`);
  log(`${title}: ${round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1)} s (load average ${loadAverage.join(" ")}).`);
  return figures;
}

/** A progress bar on the terminal, at most every two seconds, with the rate and the time left. */
export function progress(label: string, total: number) {
  const started = performance.now();
  let last = 0;
  let finished = false;
  const tty = process.stdout.isTTY;
  return (done: number, force = false) => {
    const now = performance.now();
    if (finished || (!force && now - last < 2000 && done < total)) return;
    last = now;
    finished = done >= total;
    const seconds = (now - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = rate > 0 && done < total ? `, ${Math.ceil((total - done) / rate)} s left` : "";
    const line = `  ${progressLine(done, total, `${label} (${Math.round(rate).toLocaleString("en-US")}/s${left})`)}`;
    if (tty) process.stdout.write(`\r${line}${done >= total ? "\n" : ""}`);
    else console.log(line);
  };
}

/** Seconds a promise took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}
