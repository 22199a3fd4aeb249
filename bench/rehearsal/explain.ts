// EXPLAIN ANALYZE, on the rehearsal's full-size database, of every query the
// timed pages' data functions send (collected through a drizzle logger, as
// test/explain.test.ts does on a small one). Each runs in a transaction that
// is rolled back, so a page that writes (the customer page audits a view)
// leaves nothing behind. The report keeps each function's slowest query.
import { connect, type Db } from "@/db/client";
import { findUserById } from "@/lib/accounts/index";
import { auditEventsFor } from "@/lib/audit";
import { campaignProgress, listCampaigns } from "@/lib/campaigns";
import { incidentCounts, snapshotsSince, wholeIncident } from "@/lib/campaigns/metrics";
import { recentJobs } from "@/lib/expiry";
import { customerOverview } from "@/lib/support/customers";
import { findCustomers } from "@/lib/support/lookup";
import { listQueue } from "@/lib/support/queue";

export type ExplainIds = { admin: number; agent: number; customer: number; customerEmail: string; customerName: string | null; campaign: number };
type PageFunction = { page: string; name: string; run: (db: Db, ids: ExplainIds) => Promise<unknown> };

const FUNCTIONS: PageFunction[] = [
  { page: "account", name: "findUserById", run: (db, ids) => findUserById(db, ids.admin) },
  { page: "account", name: "auditEventsFor", run: (db, ids) => auditEventsFor(db, ids.admin, 50) },
  { page: "dashboard", name: "incidentCounts", run: (db) => incidentCounts(db) },
  { page: "dashboard", name: "snapshotsSince", run: (db) => snapshotsSince(db, 24) },
  { page: "dashboard", name: "wholeIncident", run: (db) => wholeIncident(db) },
  { page: "dashboard", name: "listCampaigns", run: (db) => listCampaigns(db) },
  { page: "dashboard", name: "campaignProgress", run: (db, ids) => campaignProgress(db, ids.campaign) },
  { page: "customer", name: "customerOverview", run: (db, ids) => customerOverview(db, ids.agent, ids.customer) },
  { page: "lookup", name: "findCustomers(exact)", run: (db, ids) => findCustomers(db, ids.agent, ids.customerEmail) },
  { page: "lookupPrefix", name: "findCustomers(prefix)", run: (db, ids) => findCustomers(db, ids.agent, ids.customerEmail.slice(0, 7)) },
  { page: "lookupName", name: "findCustomers(name)", run: (db, ids) => findCustomers(db, ids.agent, (ids.customerName ?? "a").split(/[ ,]/)[0].slice(0, 6)) },
  { page: "queue", name: "listQueue(open)", run: (db, ids) => listQueue(db, ids.agent, "open") },
  { page: "expiry", name: "recentJobs", run: (db) => recentJobs(db, "expiry") },
];

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };
type Explained = { "Execution Time": number; "Planning Time": number; Plan: PlanNode };

function seqScans(node: PlanNode, out: string[] = []): string[] {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) out.push(node["Relation Name"]);
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
}

type Tx = { unsafe: (q: string, p?: unknown[]) => Promise<unknown[]> };
const ROLLBACK = new Error("rollback");

export async function explainPages(databaseUrl: string, ids: ExplainIds) {
  let captured: { query: string; params: unknown[] }[] = [];
  const handle = await connect({ databaseUrl, poolMax: 2, migrate: false, logger: { logQuery: (query, params) => captured.push({ query, params }) } });
  const client = (handle.db as unknown as { $client: { begin: (fn: (tx: Tx) => Promise<unknown>) => Promise<unknown> } }).$client;
  const out: Record<string, { page: string; queries: number; totalMs: number; slowestMs: number; slowest: string; seqScans: string[] } | { page: string; error: string }> = {};
  try {
    for (const fn of FUNCTIONS) {
      captured = [];
      try {
        await fn.run(handle.db, ids);
      } catch (error) {
        // A page function whose shape changed (a merge) is reported, not fatal.
        out[fn.name] = { page: fn.page, error: String((error as Error).message ?? error).slice(0, 300) };
        continue;
      }
      const queries = captured.filter((q) => /^\s*(select|with|insert|update|delete)\b/i.test(q.query));
      let totalMs = 0;
      let slowestMs = -1;
      let slowest = "";
      const scans = new Set<string>();
      for (const q of queries) {
        let plan: Explained | undefined;
        await client
          .begin(async (tx) => {
            const rows = await tx.unsafe(`explain (analyze, buffers, format json) ${q.query}`, q.params);
            const cell = Object.values(rows[0] as Record<string, unknown>)[0];
            plan = ((typeof cell === "string" ? JSON.parse(cell) : cell) as Explained[])[0];
            throw ROLLBACK;
          })
          .catch((error) => {
            if (error !== ROLLBACK) throw error;
          });
        const ms = plan!["Execution Time"] + plan!["Planning Time"];
        totalMs += ms;
        for (const t of seqScans(plan!.Plan)) scans.add(t);
        if (ms > slowestMs) {
          slowestMs = ms;
          slowest = q.query.replace(/\s+/g, " ").slice(0, 300);
        }
      }
      out[fn.name] = { page: fn.page, queries: queries.length, totalMs: Math.round(totalMs * 100) / 100, slowestMs: Math.round(slowestMs * 100) / 100, slowest, seqScans: [...scans] };
    }
  } finally {
    await handle.close();
  }
  return out;
}
