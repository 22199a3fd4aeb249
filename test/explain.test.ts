// Every query an agent or admin page (and the inbound and bulk-answer workers) runs is indexed for 24 million rows: run
// each page's data functions with a logger that collects their queries, then
// EXPLAIN each one with sequential scans priced out (enable_seqscan = off; a
// plan that still scans has no index to use) on a database with a few
// thousand rows, analysed. A sequential scan of a big table fails the test and
// names the query. Pages added later add their functions to PAGE_FUNCTIONS.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, rowsOf, type Db } from "@/db/client";
import { findUserById } from "@/lib/accounts/index";
import { auditEventsFor } from "@/lib/audit";
import { sessionStateFor } from "@/lib/auth/session-state";
import { campaignProgress, listCampaigns } from "@/lib/campaigns";
import { incidentCounts, snapshotsSince, wholeIncident } from "@/lib/campaigns/metrics";
import { countScope, findJob, recentJobs } from "@/lib/expiry";
import { passkeyOfferDue, passkeysOf } from "@/lib/passkeys";
import { countLiveSessions, createDeviceSession, liveSessionsOf } from "@/lib/sessions";
import { loadPublishedNotice, noticeForEditing } from "@/lib/incident/notice";
import { listStaff } from "@/lib/support/agents";
import { findCustomers } from "@/lib/support/lookup";
import { relatedRequests } from "@/lib/support/organise";
import { viewRequest } from "@/lib/support/presence";
import { customerOverview } from "@/lib/support/customers";
import { listQueue, takeNext } from "@/lib/support/queue";
import { getRequestForAgent } from "@/lib/support/requests";
import { bulkAnswerView, createBulkAnswer, previewSelection, recentBulkAnswers, runBulkAnswer } from "@/lib/support/bulk";
import { listSavedReplies, savedRepliesForRequest, savedReplyForRequest } from "@/lib/support/saved-reply-store";
import { inboundEvents } from "@/db/schema";
import { fileInbound } from "@/lib/support/inbound/file";
import { replyAddressFor } from "@/lib/support/threading";
import { env } from "@/lib/env";
import { createTestDatabase } from "./databases";
import { inboundEmail, type InboundInput } from "./fake-resend";

// The five, and the tables that grow with every sign-in and every email.
const BIG_TABLES = ["users", "sent_emails", "audit_events", "campaign_recipients", "support_requests", "support_messages", "support_thread_ids", "support_request_views", "device_sessions", "passkeys", "inbound_events", "bulk_answer_targets", "bulk_deliveries"];

type Ids = { admin: number; agent: number; customer: number; customerEmail: string; campaign: number; request: number; job: number; sid: string; savedReply: number; bulkAnswer: number };
type PageFunction = { page: string; name: string; run: (db: Db, ids: Ids) => Promise<unknown> };

export const PAGE_FUNCTIONS: PageFunction[] = [
  { page: "every signed-in page (session check)", name: "sessionStateFor", run: (db, ids) => sessionStateFor(db, { uid: ids.customer, sv: 1, sid: ids.sid }) },
  { page: "/account", name: "findUserById", run: (db, ids) => findUserById(db, ids.customer) },
  { page: "/account", name: "auditEventsFor", run: (db, ids) => auditEventsFor(db, ids.customer, 50) },
  { page: "/account", name: "liveSessionsOf", run: (db, ids) => liveSessionsOf(db, ids.customer, 30) },
  { page: "/account", name: "passkeysOf", run: (db, ids) => passkeysOf(db, ids.customer) },
  { page: "/account", name: "passkeyOfferDue", run: (db, ids) => passkeyOfferDue(db, ids.customer, 0) },
  { page: "/support/customers/[id]", name: "countLiveSessions", run: (db, ids) => countLiveSessions(db, ids.customer, 30) },
  { page: "/admin", name: "incidentCounts", run: (db) => incidentCounts(db) },
  { page: "/admin", name: "snapshotsSince", run: (db) => snapshotsSince(db, 24) },
  { page: "/admin", name: "wholeIncident", run: (db) => wholeIncident(db) },
  { page: "/admin, /admin/campaigns", name: "listCampaigns", run: (db) => listCampaigns(db) },
  { page: "/admin, /admin/campaigns", name: "campaignProgress", run: (db, ids) => campaignProgress(db, ids.campaign) },
  { page: "/admin/expiry", name: "recentJobs", run: (db) => recentJobs(db, "expiry") },
  {
    page: "/admin/expiry (confirmation)",
    name: "countScope",
    run: async (db, ids) => Promise.all([countScope(db, { kind: "customers" }), countScope(db, { kind: "everyone" }), countScope(db, { kind: "emails", emails: [ids.customerEmail] })]),
  },
  { page: "/admin/expiry", name: "findJob", run: (db, ids) => findJob(db, ids.job) },
  { page: "/admin/agents", name: "listStaff", run: (db, ids) => listStaff(db, ids.admin) },
  { page: "/admin/notice", name: "noticeForEditing", run: (db, ids) => noticeForEditing(db, { id: ids.admin, email: "admin@explain.example.com", name: null, role: "admin" }) },
  { page: "/notice", name: "loadPublishedNotice", run: (db) => loadPublishedNotice(db) },
  { page: "/support (each view)", name: "listQueue", run: async (db, ids) => Promise.all((["open", "mine", "waiting", "resolved"] as const).map((f) => listQueue(db, ids.agent, f))) },
  { page: "/support (a topic, a deep page, the page before)", name: "listQueue", run: async (db, ids) => Promise.all([
    listQueue(db, ids.agent, { filter: "open", topic: "card" }),
    listQueue(db, ids.agent, { filter: "waiting" }, { after: ids.request }),
    listQueue(db, ids.agent, { filter: "mine", topic: "card" }, { before: ids.request }),
  ]) },
  { page: "/support (search: reference, address prefix, words)", name: "listQueue", run: async (db, ids) => Promise.all([
    listQueue(db, ids.agent, { filter: "open", q: "RD-EX000777" }),
    listQueue(db, ids.agent, { filter: "open", q: "c77" }),
    listQueue(db, ids.agent, { filter: "resolved", topic: "card", q: "locked account" }),
  ]) },
  { page: "/support (Take next)", name: "takeNext", run: async (db, ids) => Promise.all([
    takeNext(db, ids.agent, { filter: "open" }),
    takeNext(db, ids.agent, { filter: "waiting", topic: "card" }),
    takeNext(db, ids.agent, { filter: "open", q: "locked account" }),
  ]) },
  { page: "/support/requests/[id]", name: "getRequestForAgent", run: (db, ids) => getRequestForAgent(db, ids.agent, ids.request) },
  { page: "/support/requests/[id]", name: "viewRequest", run: (db, ids) => viewRequest(db, ids.agent, ids.request) },
  { page: "/support/requests/[id]", name: "relatedRequests", run: (db, ids) => relatedRequests(db, ids.agent, { id: ids.request, email: "c777@explain.example.com" }) },
  { page: "/support/customers (lookup: exact, address prefix, name prefix)", name: "findCustomers", run: async (db, ids) => Promise.all([
    findCustomers(db, ids.agent, ids.customerEmail),
    findCustomers(db, ids.agent, "c77"),
    findCustomers(db, ids.agent, "customer 77"),
  ]) },
  { page: "/support/customers/[id]", name: "customerOverview", run: (db, ids) => customerOverview(db, ids.agent, ids.customer) },
  { page: "/admin/saved-replies", name: "listSavedReplies", run: (db, ids) => listSavedReplies(db, ids.admin, { includeArchived: true }) },
  { page: "/support/requests/[id]", name: "savedRepliesForRequest", run: (db, ids) => savedRepliesForRequest(db, ids.agent, { topic: "card" }) },
  { page: "/support/bulk (selected)", name: "previewSelection", run: (db, ids) => previewSelection(db, ids.agent, { kind: "ids", ids: [ids.request, ids.request + 1] }) },
  { page: "/support/bulk (all matching)", name: "previewSelection", run: (db, ids) => Promise.all((["open", "mine", "waiting", "resolved"] as const).map((filter) => previewSelection(db, ids.agent, { kind: "query", query: { filter, topic: "card", q: "RD-EX777" } }))) },
  { page: "/support/bulk", name: "recentBulkAnswers", run: (db, ids) => recentBulkAnswers(db, ids.agent) },
  { page: "/support/bulk/[id]", name: "bulkAnswerView", run: (db, ids) => bulkAnswerView(db, ids.agent, ids.bulkAnswer) },
  { page: "/support/requests/[id]?savedReply=", name: "savedReplyForRequest", run: (db, ids) => savedReplyForRequest(db, ids.agent, ids.savedReply, { name: "Customer 777", email: "c777@explain.example.com", reference: "RD-EX000777" }) },
  // Workers too: the inbound filing of a round (a new sender, an answer by reference, a delivery report).
  { page: "inbound worker", name: "fileInbound", run: async (db) => {
    const support = env().SUPPORT_EMAIL;
    const fetched = async (input: InboundInput) => {
      const email = inboundEmail(input);
      const [row] = await db.insert(inboundEvents).values({ svixId: `msg_${email.id}`, emailId: email.id, payload: {} }).returning({ id: inboundEvents.id });
      return { eventId: Number(row.id), email };
    };
    return fileInbound(db, [
      await fetched({ from: "someone-new@mail.example.net", to: [support], subject: "Help", text: "I cannot sign in." }),
      await fetched({ from: "c777@explain.example.com", to: [replyAddressFor("RD-EX000777")], subject: "Re: your request", text: "One more thing." }),
      await fetched({ from: "mailer-daemon@mx.example.net", to: [support], headers: { "Return-Path": "<>" }, subject: "Undelivered", text: "<notice.1@desk.example> could not be delivered" }),
    ]);
  } },
  // and a bulk answer from its confirmation to its last batch.
  { page: "bulk-answer worker", name: "createBulkAnswer, runBulkAnswer", run: async (db, ids) => {
    const selection = { kind: "ids" as const, ids: [ids.request] };
    const preview = await previewSelection(db, ids.agent, selection);
    const created = await createBulkAnswer(db, ids.agent, {
      clientKey: randomUUID(),
      savedReplyId: ids.savedReply,
      markResolved: false,
      asOf: preview.asOf,
      confirmed: preview.count,
      selection,
    });
    if (!created.ok) throw new Error(created.error);
    return runBulkAnswer(db, created.id);
  } },
];

let captured: { query: string; params: unknown[] }[] = [];
let handle: Awaited<ReturnType<typeof connect>>;
let drop: () => Promise<void>;
let ids: Ids;

async function seed(db: Db): Promise<Ids> {
  const one = async <T>(q: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(q))[0];
  const { id: admin } = await one<{ id: number }>(sql`insert into users (email, role) values ('admin@explain.example.com', 'admin') returning id`);
  const { id: agent } = await one<{ id: number }>(sql`insert into users (email, role) values ('agent@explain.example.com', 'agent') returning id`);
  await db.execute(sql`
    insert into users (email, name, role, password_expired_at)
    select 'c' || g || '@explain.example.com', 'Customer ' || g, 'customer', case when g % 3 = 0 then now() end from generate_series(1, 20000) g`);
  const customer = await one<{ id: number; email: string }>(sql`select id, email from users where email = 'c777@explain.example.com'`);
  await db.execute(sql`
    insert into sent_emails ("to", user_id, kind, subject, status, created_at)
    select u.email, u.id, 'breach_notice', 'Notice', (array['sent', 'delivered', 'bounced'])[1 + u.id % 3], now() - make_interval(secs => u.id)
    from users u where u.role = 'customer'`);
  await db.execute(sql`
    insert into audit_events (action, subject_id, actor_id, at)
    select (array['password.changed', 'auth.sign_in', 'reset_link.sent'])[1 + u.id % 3], u.id, u.id, now() - make_interval(secs => u.id)
    from users u where u.role = 'customer'`);
  const { id: campaign } = await one<{ id: number }>(sql`insert into campaigns (name, status, enqueue_done) values ('Explained', 'running', true) returning id`);
  await db.execute(sql`
    insert into campaign_recipients (campaign_id, user_id, email, status)
    select ${campaign}, u.id, u.email, (array['pending', 'sent', 'delivered'])[1 + u.id % 3] from users u where u.role = 'customer'`);
  await db.execute(sql`
    insert into support_requests (reference, email, name, user_id, status, created_at)
    select 'RD-EX' || lpad(g::text, 6, '0'), 'c' || g || '@explain.example.com', 'Customer ' || g, null, (array['open', 'waiting', 'resolved'])[1 + g % 3], now() - make_interval(secs => g)
    from generate_series(1, 3000) g`);
  await db.execute(sql`update support_requests r set user_id = u.id from users u where u.email = r.email`);
  await db.execute(sql`
    insert into support_messages (request_id, kind, body)
    select r.id, 'customer', 'Help with ' || r.reference || (array[' my card', ' my locked account', ' the notice'])[1 + (r.id + g) % 3]
    from support_requests r, generate_series(1, 3) g`);
  await db.execute(sql`update support_requests set topic = (array['sign-in', 'card', 'genuine', 'data', 'other'])[1 + id % 5]`);
  await db.execute(sql`update support_requests set assigned_to = ${agent} where id % 4 = 0`);
  await db.execute(sql`insert into support_request_views (request_id, agent_id, seen_at) select id, ${admin}, now() - make_interval(secs => id) from support_requests`);
  const { id: request } = await one<{ id: number }>(sql`select id from support_requests where reference = 'RD-EX000777'`);
  const { id: job } = await one<{ id: number }>(sql`insert into jobs (kind, scope, at) values ('expiry', '{"kind":"customers"}', now()) returning id`);
  await db.execute(sql`insert into saved_replies (title, body, topic) select 'Answer ' || g, 'Hello {{name}}, about {{reference}}.', 'card' from generate_series(1, 40) g`);
  const { id: savedReply } = await one<{ id: number }>(sql`select id from saved_replies where title = 'Answer 7'`);
  // Bulk answers: a few jobs of 1,000 targets each, outcomes and deliveries.
  await db.execute(sql`
    insert into bulk_answers (client_key, created_by, saved_reply_id, title, body, selection, total)
    select 'key-' || g, ${agent}, ${savedReply}, 'Answer 7', 'Hello', '{}'::jsonb, 1000 from generate_series(1, 20) g`);
  const { id: bulkAnswer } = await one<{ id: number }>(sql`select id from bulk_answers where client_key = 'key-7'`);
  await db.execute(sql`
    insert into bulk_answer_targets (bulk_answer_id, request_id, seen_message_id, outcome)
    select b.id, r.id, 0, (array['sent', 'stale', 'duplicate', 'sent'])[1 + r.id % 4]
    from bulk_answers b cross join (select id from support_requests order by id limit 1000) r`);
  await db.execute(sql`
    insert into bulk_deliveries (request_id, saved_reply_id, seen_message_id, bulk_answer_id, emailed_at)
    select t.request_id, ${savedReply}, t.bulk_answer_id, t.bulk_answer_id, case when t.request_id % 5 = 0 then null else now() end
    from bulk_answer_targets t where t.outcome = 'sent'`);
  await db.execute(sql`
    insert into metric_snapshots (at, counts)
    select date_trunc('minute', now()) - make_interval(mins => g), jsonb_build_object('expired', g) from generate_series(1, 3000) g`);
  for (let i = 0; i < 3; i++) await createDeviceSession(db, { userId: Number(customer.id), method: "password", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0", ip: "192.0.2.7" });
  const sid = await createDeviceSession(db, { userId: Number(customer.id), method: "password", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0", ip: "192.0.2.7" });
  await db.execute(sql`analyze`);
  // bigint ids come back as strings from the postgres driver
  return { admin: Number(admin), agent: Number(agent), customer: Number(customer.id), customerEmail: customer.email, campaign: Number(campaign), request: Number(request), job: Number(job), sid, savedReply: Number(savedReply), bulkAnswer: Number(bulkAnswer) };
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

function seqScans(node: PlanNode, out: string[] = []): string[] {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) out.push(node["Relation Name"]);
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
}

/** EXPLAIN (FORMAT JSON) with the query's own parameters, sequential scans priced out. */
async function explain(query: string, params: unknown[]): Promise<PlanNode> {
  const client = (handle.db as unknown as { $client: unknown }).$client as {
    begin?: (fn: (tx: { unsafe: (q: string, p?: unknown[]) => Promise<unknown[]> }) => Promise<unknown>) => Promise<unknown>;
    query?: (q: string, p?: unknown[]) => Promise<{ rows: unknown[] }>;
    exec?: (q: string) => Promise<unknown>;
  };
  let rows: unknown[];
  if (client.begin) {
    rows = (await client.begin(async (tx) => {
      await tx.unsafe("set local enable_seqscan = off");
      return tx.unsafe(`explain (format json) ${query}`, params as never[]);
    })) as unknown[];
  } else {
    await client.exec!("set enable_seqscan = off");
    rows = (await client.query!(`explain (format json) ${query}`, params)).rows;
  }
  const cell = Object.values(rows[0] as Record<string, unknown>)[0];
  const parsed = (typeof cell === "string" ? JSON.parse(cell) : cell) as { Plan: PlanNode }[];
  return parsed[0].Plan;
}

beforeAll(async () => {
  const created = await createTestDatabase();
  drop = created.drop;
  handle = await connect({
    databaseUrl: created.url,
    dataDir: "memory://",
    poolMax: 3,
    logger: { logQuery: (query, params) => captured.push({ query, params }) },
  });
  ids = await seed(handle.db);
}, 120_000);

afterAll(async () => {
  await handle?.close();
  await drop?.();
});

describe("every query a page runs is indexed", () => {
  it("the check itself sees a scan (a filter on an unindexed column)", async () => {
    expect(seqScans(await explain(`select id from users where name = $1`, ["Customer 5"]))).toContain("users");
  });

  for (const fn of PAGE_FUNCTIONS) {
    it(`${fn.page}: ${fn.name}`, async () => {
      captured = [];
      await fn.run(handle.db, ids);
      const queries = captured.filter((q) => /^\s*(select|with|insert|update|delete)\b/i.test(q.query));
      captured = [];
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) {
        const scanned = seqScans(await explain(q.query, q.params)).filter((t) => BIG_TABLES.includes(t));
        expect(scanned, `sequential scan of ${scanned.join(", ")} in:\n${q.query}`).toEqual([]);
      }
    });
  }
});
