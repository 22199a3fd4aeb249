// CLI doors to the incident work (SPEC 8): import, expiry, end-sessions and
// the campaign. Each calls the same lib/ code as the admin UI.
import { parseArgs } from "node:util";
import { DataFolderInUseError } from "@/db/lock";
import {
  CampaignError,
  campaignProgress,
  createCampaign,
  newWorkerId,
  pauseCampaign,
  runWorker,
  startCampaign,
  type CampaignScope,
} from "@/lib/campaigns";
import { endSessions, expirePasswords, normaliseScope, openJob, runJob, type JobKind, type UserScope } from "@/lib/expiry";
import { importCustomers } from "@/lib/imports";
import { CliError, type Command, type CommandContext } from "./context";

const CLI_ACTOR = { id: null, ip: "cli" };

function campaignId(raw: string | undefined): number {
  const id = Number(raw);
  if (!raw || !Number.isSafeInteger(id) || id < 1) throw new CliError("Give the campaign's id, e.g. `campaign start 3`.");
  return id;
}

function emailList(raw: string | undefined): string[] {
  return (raw ?? "").split(",").map((e) => e.trim()).filter(Boolean);
}

async function withCampaignErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CampaignError) throw new CliError(error.message);
    throw error;
  }
}

async function campaignWork(ctx: CommandContext, args: string[]) {
  const { values } = parseArgs({ args, options: { once: { type: "boolean" } }, strict: true });
  let db;
  try {
    db = await ctx.db();
  } catch (error) {
    if (error instanceof DataFolderInUseError) {
      throw new CliError(
        `${error.message}\nCampaign workers share the work through PostgreSQL: to run several ` +
          "`campaign work` processes (or one beside the server), set DATABASE_URL. With the embedded " +
          "database the server sends campaigns itself.",
      );
    }
    throw error;
  }
  const controller = new AbortController();
  const stop = () => {
    ctx.log("Stopping after the current batch…");
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const workerId = newWorkerId();
  let sent = 0;
  ctx.log(`Worker ${workerId} started${values.once ? " (until the running campaigns are done)" : ""}.`);
  await runWorker(db, {
    workerId,
    once: values.once,
    signal: controller.signal,
    log: ctx.log,
    onBatch: ({ campaignId: id, sent: n }) => {
      sent += n;
      ctx.log(`campaign ${id}: batch of ${n} sent (${sent} by this worker)`);
    },
  });
  ctx.log(`Worker ${workerId} stopped; it sent ${sent} emails.`);
}

async function campaignStatus(ctx: CommandContext, id: number) {
  const db = await ctx.db();
  const p = await campaignProgress(db, id);
  if (!p) throw new CliError(`There is no campaign ${id}.`);
  ctx.log(`Campaign ${p.id} "${p.name}" — ${p.status}, scope: ${p.scope}`);
  ctx.progress(p.done, p.total, "done");
  const parts = Object.entries(p.counts).map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`);
  ctx.log(parts.length ? parts.join(" · ") : "No recipients queued yet.");
  if (p.emailsPerSecond) ctx.log(`Rate ${p.emailsPerSecond.toFixed(1)} emails/s${p.etaSeconds !== null ? `, about ${Math.ceil(p.etaSeconds / 60)} min left` : ""}.`);
}

const campaign: Command = {
  summary: "the breach-notice campaign: create, start, pause, work (a worker process; several may run), status",
  usage: "campaign create --name N [--everyone | --emails a,b] · campaign start ID · campaign pause ID · campaign work [--once] · campaign status ID",
  run: async (ctx) => {
    const [sub, ...rest] = ctx.args;
    switch (sub) {
      case "create": {
        const { values } = parseArgs({
          args: rest,
          options: { name: { type: "string" }, everyone: { type: "boolean" }, emails: { type: "string" } },
          strict: true,
        });
        if (!values.name) throw new CliError("--name is required.");
        const scope: CampaignScope = values.emails
          ? { kind: "emails", emails: emailList(values.emails) }
          : values.everyone
            ? { kind: "everyone" }
            : { kind: "customers" };
        const id = await createCampaign(await ctx.db(), { name: values.name, scope }, CLI_ACTOR);
        ctx.log(`Created campaign ${id}. Start it with: npm run cli -- campaign start ${id}`);
        return;
      }
      case "start": {
        const id = campaignId(rest[0]);
        await withCampaignErrors(() => ctx.db().then((db) => startCampaign(db, id, CLI_ACTOR)));
        ctx.log(`Campaign ${id} is running. Workers send it: npm run cli -- campaign work`);
        return;
      }
      case "pause": {
        const id = campaignId(rest[0]);
        await withCampaignErrors(() => ctx.db().then((db) => pauseCampaign(db, id, CLI_ACTOR)));
        ctx.log(`Campaign ${id} is paused; batches in flight finish. Resume with: campaign start ${id}`);
        return;
      }
      case "status":
        return campaignStatus(ctx, campaignId(rest[0]));
      case "work":
        return campaignWork(ctx, rest);
      default:
        throw new CliError("Use: campaign create|start|pause|work|status (see `npm run cli -- help`).");
    }
  },
};

function jobScope(values: { all?: boolean; customers?: boolean; emails?: string }, allowCustomers: boolean): UserScope {
  const chosen = [values.all, allowCustomers && values.customers, values.emails !== undefined].filter(Boolean).length;
  const choices = allowCustomers ? "--all, --customers or --emails a@x,b@y" : "--all or --emails a@x,b@y";
  if (chosen !== 1) throw new CliError(`Choose exactly one scope: ${choices}.`);
  if (values.emails !== undefined) {
    try {
      return normaliseScope({ kind: "emails", emails: emailList(values.emails) });
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
  }
  return values.all ? { kind: "everyone" } : { kind: "customers" };
}

async function runJobCommand(ctx: CommandContext, kind: JobKind, scope: UserScope, options: { clearPasskeys?: boolean } = {}) {
  const db = await ctx.db();
  const { job, resumed } = await openJob(db, kind, scope, CLI_ACTOR, options);
  ctx.log(resumed ? `Resuming job ${job.id} where it stopped.` : `Job ${job.id}: ${job.total.toLocaleString("en-US")} accounts in scope.`);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const done = await runJob(db, job.id, CLI_ACTOR, {
    signal: controller.signal,
    onProgress: (p) => ctx.progress(p.done, p.total, kind === "expiry" ? "accounts looked at" : "accounts"),
  });
  if (done.status !== "finished") {
    throw new CliError(`Stopped. Run the same command again to resume job ${done.id}.`);
  }
  ctx.log(
    kind === "expiry"
      ? `Done: ${done.processed.toLocaleString("en-US")} passwords expired (accounts already expired keep their date).`
      : `Done: sessions ended for ${done.processed.toLocaleString("en-US")} accounts.`,
  );
}

const expire: Command = {
  summary: "expire passwords in committed batches (resumable: run it again after a stop)",
  usage: "expire --all | --customers | --emails a@x,b@y [--clear-passkeys]",
  run: async (ctx) => {
    const { values } = parseArgs({
      args: ctx.args,
      options: { all: { type: "boolean" }, customers: { type: "boolean" }, emails: { type: "string" }, "clear-passkeys": { type: "boolean" } },
      strict: true,
    });
    const { "clear-passkeys": clearPasskeys, ...scopeArgs } = values;
    await runJobCommand(ctx, "expiry", jobScope(scopeArgs, true), { clearPasskeys: Boolean(clearPasskeys) });
  },
};

const endSessionsCommand: Command = {
  summary: "end every session of the accounts (their session version moves on)",
  usage: "end-sessions --all | --emails a@x,b@y",
  run: async (ctx) => {
    const { values } = parseArgs({ args: ctx.args, options: { all: { type: "boolean" }, emails: { type: "string" } }, strict: true });
    await runJobCommand(ctx, "end_sessions", jobScope(values, false));
  },
};

const importCommand: Command = {
  summary: "stream an email,name CSV; new accounts start expired; reports created / skipped / invalid rows",
  usage: "import-customers FILE.csv",
  run: async (ctx) => {
    const file = ctx.args[0];
    if (!file || ctx.args.length !== 1) throw new CliError("Give one CSV file: import-customers FILE.csv");
    const fs = await import("node:fs");
    if (!fs.existsSync(file)) throw new CliError(`There is no file ${file}.`);
    const size = fs.statSync(file).size;
    const db = await ctx.db();
    const started = Date.now();
    const report = await importCustomers(db, file, {
      onProgress: (r) => ctx.log(`… ${r.lines.toLocaleString("en-US")} lines read, ${r.created.toLocaleString("en-US")} created`),
    });
    const seconds = (Date.now() - started) / 1000;
    ctx.log(
      `Created ${report.created}, skipped ${report.skipped} (already there), invalid ${report.invalid} ` +
        `of ${report.lines} lines (${(size / 1e6).toFixed(1)} MB) in ${seconds.toFixed(1)} s.`,
    );
    for (const l of report.invalidLines) ctx.log(`  line ${l.line}: ${l.reason}`);
    if (report.invalid > report.invalidLines.length) ctx.log(`  … and ${report.invalid - report.invalidLines.length} more invalid lines.`);
  },
};

export const incidentCommands: Record<string, Command> = {
  "import-customers": importCommand,
  expire,
  "end-sessions": endSessionsCommand,
  campaign,
};

// Kept for scripts that call the lib directly.
export { endSessions, expirePasswords };
