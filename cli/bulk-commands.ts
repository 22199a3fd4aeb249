// `bulk-answer`: run, resume or look at bulk answers from a shell, through the
// same lib/support/bulk as the desk (which runs them in the web server).
import { loadBulkAnswerView, newRunnerId, runAllBulkAnswers, runBulkAnswer, runningBulkAnswers } from "@/lib/support/bulk";
import { CliError, type Command, type CommandContext } from "./context";

function jobIdOf(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,15}$/.test(value)) throw new CliError("Give a bulk answer id, e.g. bulk-answer run 12.");
  return Number(value);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(ctx: CommandContext, id: number) {
  const view = await loadBulkAnswerView(await ctx.db(), id);
  if (!view) throw new CliError(`There is no bulk answer ${id}.`);
  ctx.log(`Bulk answer ${view.id} "${view.title}" by ${view.createdByEmail ?? "?"} — ${view.status}${view.stalled ? " (its runner stopped: run it to resume)" : ""}`);
  ctx.log(`To ${view.description}${view.markResolved ? ", marking them resolved" : ""}.`);
  ctx.progress(view.processed, view.total, "requests");
  ctx.log(
    `Replies recorded ${view.sent}, emailed ${view.emailed}; left out: ${view.outcomes.stale} stale, ` +
      `${view.outcomes.duplicate} already answered, ${view.outcomes.closed} merged.`,
  );
  for (const l of view.leftOut) ctx.log(`  ${l.reference} ${l.email}: ${l.outcome}`);
  if (view.lastError) ctx.log(`Last error: ${view.lastError}`);
}

async function run(ctx: CommandContext, id: number | null) {
  const db = await ctx.db();
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
  if (id === null) {
    ctx.log(`${(await runningBulkAnswers(db)).length} bulk answer(s) running.`);
    await runAllBulkAnswers(db, { log: ctx.log, signal: controller.signal });
    return;
  }
  const owner = newRunnerId();
  for (;;) {
    const result = await runBulkAnswer(db, id, {
      owner,
      signal: controller.signal,
      log: ctx.log,
      onProgress: (p) => ctx.progress(p.processed, p.total, `requests (${p.sent} replies)`),
    });
    if (result.state === "done" || result.state === "finished") return status(ctx, id);
    if (result.state === "missing") throw new CliError(`There is no bulk answer ${id}.`);
    if (result.state === "failed") {
      await status(ctx, id);
      throw new CliError(`Bulk answer ${id} failed; fix the cause, then retry it from its page.`);
    }
    if (result.state === "stopped") throw new CliError(`Stopped. Run the same command again to resume bulk answer ${id}.`);
    // busy (another runner's lease), lost, retry-later: wait and take it up again.
    const [lease] = (await runningBulkAnswers(db)).filter((j) => j.id === id);
    const wait = Math.min(30_000, Math.max(500, (lease?.leaseEndsInMs ?? 0) + 200));
    ctx.log(`Bulk answer ${id}: ${result.state}; trying again in ${Math.ceil(wait / 1000)} s.`);
    await sleep(wait);
  }
}

export const bulkAnswerCommand: Command = {
  summary: "run or resume bulk answers (all running ones, or one) and show their state",
  usage: "bulk-answer run [ID] · bulk-answer status ID",
  run: async (ctx) => {
    const [sub, ...rest] = ctx.args;
    if (sub === "run") return run(ctx, rest[0] ? jobIdOf(rest[0]) : null);
    if (sub === "status") return status(ctx, jobIdOf(rest[0]));
    throw new CliError("Use: bulk-answer run [ID] | bulk-answer status ID (see `npm run cli -- help`).");
  },
};
