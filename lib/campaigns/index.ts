// Campaigns (SPEC 4.8): create, start, pause and progress. Used by the admin UI
// (through ./admin, which checks the role) and by the CLI.
import { desc, eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { campaigns, incidents } from "@/db/schema";
import { emailSchema, InputError } from "@/lib/accounts";
import { recordAudit } from "@/lib/audit";
import { readCounterPrefix, readCounters } from "./counters";
import { parseScope, scopeCondition, type CampaignScope } from "./queue";

export { runWorker, newWorkerId } from "./worker";
export type { CampaignScope } from "./queue";

export type Actor = { id: number | null; ip?: string | null };

export class CampaignError extends Error {}

function storeScope(scope: CampaignScope): string {
  if (scope.kind !== "emails") return scope.kind;
  const emails = [...new Set(scope.emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  if (emails.length === 0) throw new InputError("List at least one email address.");
  if (emails.length > 1000) throw new InputError("A list holds at most 1,000 addresses; import larger sets and use a scope.");
  for (const e of emails) {
    if (!emailSchema.safeParse(e).success) throw new InputError(`"${e}" is not an email address.`);
  }
  return JSON.stringify({ emails });
}

export async function createCampaign(db: Db, input: { name: string; scope?: CampaignScope }, actor: Actor) {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 120) throw new InputError("Give the campaign a name of 1 to 120 characters.");
  const [incident] = await db.select({ id: incidents.id }).from(incidents).orderBy(desc(incidents.id)).limit(1);
  const [row] = await db
    .insert(campaigns)
    .values({ name, scope: storeScope(input.scope ?? { kind: "customers" }), incidentId: incident?.id ?? null, createdBy: actor.id })
    .returning({ id: campaigns.id });
  await recordAudit(db, { action: "campaign.created", actorId: actor.id, ip: actor.ip, detail: { campaignId: row.id, name } });
  return row.id;
}

export async function startCampaign(db: Db, campaignId: number, actor: Actor) {
  const rows = await db
    .update(campaigns)
    .set({ status: "running", startedAt: sql`coalesce(${campaigns.startedAt}, now())` })
    .where(sql`${campaigns.id} = ${campaignId} and ${campaigns.status} in ('draft', 'paused')`)
    .returning({ id: campaigns.id });
  if (rows.length === 0) {
    const [c] = await db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId));
    if (!c) throw new CampaignError(`There is no campaign ${campaignId}.`);
    if (c.status === "running") return; // starting twice is harmless
    throw new CampaignError(`Campaign ${campaignId} is ${c.status}; it cannot be started.`);
  }
  await recordAudit(db, { action: "campaign.started", actorId: actor.id, ip: actor.ip, detail: { campaignId } });
}

export async function pauseCampaign(db: Db, campaignId: number, actor: Actor) {
  const rows = await db
    .update(campaigns)
    .set({ status: "paused" })
    .where(sql`${campaigns.id} = ${campaignId} and ${campaigns.status} = 'running'`)
    .returning({ id: campaigns.id });
  if (rows.length === 0) {
    const [c] = await db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId));
    if (!c) throw new CampaignError(`There is no campaign ${campaignId}.`);
    if (c.status === "paused") return;
    throw new CampaignError(`Campaign ${campaignId} is ${c.status}; only a running campaign can be paused.`);
  }
  await recordAudit(db, { action: "campaign.paused", actorId: actor.id, ip: actor.ip, detail: { campaignId } });
}

export type CampaignProgress = {
  id: number;
  name: string;
  status: string;
  scope: string;
  startedAt: string | null;
  completedAt: string | null;
  total: number;
  enqueueDone: boolean;
  counts: Record<string, number>;
  done: number;
  emailsPerSecond: number | null;
  etaSeconds: number | null;
};

function describeScope(stored: string) {
  const scope = parseScope(stored);
  return scope.kind === "emails" ? `${scope.emails.length} listed address${scope.emails.length === 1 ? "" : "es"}` : scope.kind === "everyone" ? "everyone" : "all customers";
}

export async function campaignProgress(db: Db, campaignId: number): Promise<CampaignProgress | null> {
  const [c] = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      status: campaigns.status,
      scope: campaigns.scope,
      startedAt: campaigns.startedAt,
      completedAt: campaigns.completedAt,
      enqueueDone: campaigns.enqueueDone,
    })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!c) return null;
  // Recipients by status from the counters (decision 0013): no scan of campaign_recipients.
  const counts = Object.fromEntries(Object.entries(await readCounterPrefix(db, `campaign:${campaignId}:`)).filter(([, n]) => n !== 0));
  const enqueued = Object.values(counts).reduce((a, b) => a + b, 0);
  let total = enqueued;
  if (!c.enqueueDone) {
    const scope = parseScope(c.scope);
    let inScope: number;
    if (scope.kind === "emails") {
      // At most 1,000 addresses, found by the email index.
      const [row] = rowsOf<{ n: number | string }>(
        await db.execute(sql`select count(*)::int8 as n from users u where u.disabled_at is null and ${scopeCondition(scope)}`),
      );
      inScope = Number(row?.n ?? 0);
    } else {
      const active = await readCounters(db, ["activeUsers", "activeCustomers"]);
      inScope = scope.kind === "everyone" ? active.activeUsers : active.activeCustomers;
    }
    total = Math.max(enqueued, inScope);
  }
  const done = enqueued - (counts.pending ?? 0) - (counts.sending ?? 0);
  const sent = enqueued - (counts.pending ?? 0) - (counts.sending ?? 0) - (counts.suppressed ?? 0) - (counts.failed ?? 0);
  const elapsed = c.startedAt ? ((c.completedAt ?? new Date()).getTime() - c.startedAt.getTime()) / 1000 : 0;
  const rate = elapsed > 1 && sent > 0 ? sent / elapsed : null;
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    scope: describeScope(c.scope),
    startedAt: c.startedAt?.toISOString() ?? null,
    completedAt: c.completedAt?.toISOString() ?? null,
    total,
    enqueueDone: c.enqueueDone,
    counts,
    done,
    emailsPerSecond: rate,
    etaSeconds: rate && c.status === "running" ? Math.round((total - done) / rate) : null,
  };
}

export async function listCampaigns(db: Db) {
  return db
    .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status, createdAt: campaigns.createdAt })
    .from(campaigns)
    .orderBy(desc(campaigns.id))
    .limit(50);
}
