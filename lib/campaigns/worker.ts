// A campaign worker: claims a batch, waits for the shared rate slot, sends it
// through the batch endpoint with the batch's idempotency key, and records the
// provider's ids. Transient failures retry with backoff (429: retry-after for
// every worker); a batch nobody finishes returns to the queue when its lease
// ends and is sent again, byte for byte, under the same key.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { sentEmails } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { emailTransport, TransportError } from "@/lib/email";
import { env } from "@/lib/env";
import {
  claimBatch,
  completeIfDone,
  enqueueChunk,
  markBatchFailed,
  markBatchSent,
  releaseBatch,
  renewLease,
  runningCampaignIds,
  type ClaimedBatch,
} from "./queue";
import { acquireSendSlot, deferSends } from "./rate-window";
import { buildNoticeTemplate, noticeMessageId, personalise, type NoticeTemplate } from "./render";

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export type WorkerOptions = {
  workerId?: string;
  /** stop when no running campaign has anything left to send */
  once?: boolean;
  signal?: AbortSignal;
  log?: (line: string) => void;
  onBatch?: (info: { campaignId: number; sent: number; retry: boolean }) => void;
  idleMs?: number;
  maxTriesPerClaim?: number;
};

export type BatchOutcome = "sent" | "failed" | "released" | "lost" | "none";

export function newWorkerId() {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

const templates = new Map<number, NoticeTemplate>();

async function templateFor(db: Db, campaignId: number) {
  let t = templates.get(campaignId);
  if (!t) {
    t = await buildNoticeTemplate(db);
    templates.set(campaignId, t);
  }
  return t;
}

function backoffMs(tryNumber: number) {
  const base = Math.min(8000, 250 * 2 ** tryNumber);
  return base / 2 + Math.random() * (base / 2);
}

/** Sends one claimed batch to the end: sent, failed for good, or given back. */
export async function sendClaimedBatch(db: Db, batch: ClaimedBatch, opts: WorkerOptions & { workerId: string }): Promise<BatchOutcome> {
  const settings = env();
  const transport = emailTransport();
  const template = await templateFor(db, batch.campaignId);
  const emails = batch.recipients.map((r) => personalise(template, r));
  const maxTries = opts.maxTriesPerClaim ?? 6;

  if (transport.name === "outbox") {
    // The outbox is the database itself: storing and recording commit together.
    await db.transaction(async (tx) => {
      const { ids } = await transport.sendBatch(tx as unknown as Db, emails, batch.batchKey);
      await recordSent(tx as unknown as Db, batch, ids, template.subject);
    });
    return "sent";
  }

  let lastError = "";
  for (let attempt = 0; attempt < maxTries; attempt++) {
    if (opts.signal?.aborted) break;
    if (!(await acquireSendSlot(db, transport.name, settings.CAMPAIGN_CALLS_PER_SECOND, opts.signal))) break;
    if (!(await renewLease(db, batch, opts.workerId, settings.CAMPAIGN_LEASE_SECONDS))) return "lost";
    try {
      const { ids } = await transport.sendBatch(db, emails, batch.batchKey);
      await db.transaction(async (tx) => recordSent(tx as unknown as Db, batch, ids, template.subject));
      return "sent";
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      lastError = `${error.status ?? "network"}: ${error.message}`;
      opts.log?.(`Batch ${batch.batchKey}: ${lastError}`);
      if (error.status === 429) {
        await deferSends(db, transport.name, error.retryAfterSeconds ?? 1);
        continue;
      }
      // 409: the same key is still being processed, or was used with other content.
      if (error.status === 409 && /payload/i.test(error.message)) {
        await markBatchFailed(db, batch, lastError);
        return "failed";
      }
      if (!error.transient && error.status !== 409) {
        await markBatchFailed(db, batch, lastError);
        return "failed";
      }
      await sleep(backoffMs(attempt), opts.signal);
    }
  }
  await releaseBatch(db, batch, lastError || "stopped", 5);
  return "released";
}

async function recordSent(db: Db, batch: ClaimedBatch, ids: string[], subject: string) {
  const moved = await markBatchSent(db, batch, ids);
  if (moved.length === 0) return;
  // Our Message-ID, read from the sealed link before the send erased it: a delivery report names it.
  const ourIds = new Map(batch.recipients.map((r) => [r.id, noticeMessageId(r)]));
  await db.insert(sentEmails).values(
    moved.map((m) => ({
      to: m.email,
      userId: m.userId,
      kind: "breach_notice",
      subject,
      status: "sent",
      providerMessageId: m.messageId,
      messageId: ourIds.get(m.id) ?? null,
    })),
  );
}

/** One step for one campaign: enqueue a chunk if needed, then claim and send one batch. */
export async function workOnce(db: Db, campaignId: number, opts: WorkerOptions & { workerId: string }): Promise<BatchOutcome> {
  const settings = env();
  await enqueueChunk(db, campaignId, settings.CAMPAIGN_ENQUEUE_CHUNK);
  const batch = await claimBatch(db, campaignId, {
    worker: opts.workerId,
    size: settings.CAMPAIGN_BATCH_SIZE,
    leaseSeconds: settings.CAMPAIGN_LEASE_SECONDS,
  });
  if (!batch) {
    if (await completeIfDone(db, campaignId)) {
      await recordAudit(db, { action: "campaign.completed", detail: { campaignId } });
      opts.log?.(`Campaign ${campaignId} completed.`);
    }
    return "none";
  }
  const outcome = await sendClaimedBatch(db, batch, opts);
  if (outcome === "sent") opts.onBatch?.({ campaignId, sent: batch.recipients.length, retry: batch.retry });
  return outcome;
}

/** The worker loop of `campaign work` and of the in-app worker. */
export async function runWorker(db: Db, options: WorkerOptions = {}) {
  const opts = { ...options, workerId: options.workerId ?? newWorkerId() };
  const idleMs = opts.idleMs ?? 1000;
  while (!opts.signal?.aborted) {
    const ids = await runningCampaignIds(db);
    let busy = false;
    for (const id of ids) {
      const outcome = await workOnce(db, id, opts);
      if (outcome !== "none") busy = true;
      if (opts.signal?.aborted) break;
    }
    if (busy) continue;
    // Nothing claimable: in --once mode stop when nothing is left anywhere
    // (batches leased by other workers may still come back to the queue).
    if (opts.once && (await runningCampaignIds(db)).length === 0) return;
    await sleep(idleMs, opts.signal);
  }
}
