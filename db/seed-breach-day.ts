// The demo as a breach day in progress (npm start, cli seed-demo): a notice
// campaign that has reached most customers, with deliveries, bounces and
// complaints; a share of customers who already reset; a few dozen support
// requests across the desk's states; 24 hours of chart history. Runs once, on
// a database without a campaign; e2e seeds leave it out.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "./client";
import { incidentCountsByScan } from "@/lib/campaigns/metrics";
import { newReference } from "@/lib/support/requests";
import type { Topic } from "@/lib/support/topics";

const HOUR = 3600 * 1000;

// What customers ask on the day, with the topic an agent would file each under.
const QUESTIONS: { body: string; topic: Topic }[] = [
  { body: "I can't sign in since this morning. It says my password has expired.", topic: "sign-in" },
  { body: "Was my card number stolen too? I used it last month.", topic: "card" },
  { body: "I got an email saying my password was reset. Is that email really from you?", topic: "genuine" },
  { body: "Please delete my account and all my data.", topic: "data" },
  { body: "The reset link in the email says it has expired. Can you send another?", topic: "sign-in" },
  { body: "I don't have access to that email address any more. How do I get into my account?", topic: "other" },
];

const REPLY =
  "Thank you for writing. Your card details were not in the stolen data. To sign in, use the link in our email, or ask for a new one on the sign-in page.";

export async function seedBreachDay(db: Db, log: (line: string) => void = () => {}) {
  const [existing] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from campaigns`));
  if (existing.n > 0) return;
  const customers = rowsOf<{ id: number; email: string; n: number }>(
    await db.execute(sql`
      select id, email, substring(email from 'customer(\\d+)@')::int as n
      from users where email like 'customer___@example.com' order by email`),
  ).map((c) => ({ ...c, id: Number(c.id) }));
  if (customers.length === 0) return;
  const [agent] = rowsOf<{ id: number }>(await db.execute(sql`select id from users where email = 'agent@example.com'`));
  const now = Date.now();
  const started = now - 22 * HOUR;

  await db.transaction(async (tx) => {
    const [campaign] = rowsOf<{ id: number }>(
      await tx.execute(sql`
        insert into campaigns (name, status, scope, started_at, enqueue_done, enqueued_through_user_id)
        values ('Breach notice', 'paused', 'customers', ${new Date(started).toISOString()}, true, ${Math.max(...customers.map((c) => c.id))})
        returning id`),
    );
    // customer001–020 stay untouched for trying the forced reset; the last 30 are still queued.
    const status = (n: number) => (n > 270 ? "pending" : n % 23 === 0 ? "bounced" : n % 97 === 0 ? "complained" : n % 11 === 0 ? "sent" : "delivered");
    for (const c of customers) {
      const s = status(c.n);
      const sentAt = new Date(started + (c.n / 300) * 6 * HOUR).toISOString();
      await tx.execute(sql`
        insert into campaign_recipients (campaign_id, user_id, email, status, attempts, provider_message_id, sent_at)
        values (${campaign.id}, ${c.id}, ${c.email}, ${s}, ${s === "pending" ? 0 : 1}, ${s === "pending" ? null : `demo-${c.n}`}, ${s === "pending" ? null : sentAt})`);
      if (s === "pending") continue;
      await tx.execute(sql`
        insert into sent_emails ("to", user_id, kind, subject, status, provider_message_id, created_at)
        values (${c.email}, ${c.id}, 'breach_notice', 'Important: a security incident affecting your account', ${s}, ${`demo-${c.n}`}, ${sentAt})`);
      if (s === "bounced" || s === "complained") {
        await tx.execute(sql`insert into suppressed_emails (email, reason, at) values (${c.email}, ${s === "bounced" ? "bounce" : "complaint"}, ${sentAt}) on conflict do nothing`);
      }
    }
    await tx.execute(sql`insert into audit_events (action, actor_id, at, detail) values ('campaign.started', null, ${new Date(started).toISOString()}, ${JSON.stringify({ campaignId: campaign.id })}::jsonb)`);

    // customer151–210 have already set a new password.
    for (const c of customers.filter((c) => c.n >= 151 && c.n <= 210)) {
      const at = new Date(started + 7 * HOUR + ((c.n - 151) / 60) * 14 * HOUR).toISOString();
      await tx.execute(sql`update users set password_expired_at = null, password_changed_at = ${at} where id = ${c.id}`);
      await tx.execute(sql`insert into audit_events (action, subject_id, actor_id, at) values ('password.changed', ${c.id}, ${c.id}, ${at})`);
    }

    // customer021–056 wrote to the desk: open, waiting for the customer, resolved.
    for (const c of customers.filter((c) => c.n >= 21 && c.n <= 56)) {
      const i = c.n - 21;
      const state = i < 14 ? "open" : i < 24 ? "waiting" : "resolved";
      const at = new Date(started + 8 * HOUR + i * 0.35 * HOUR);
      const question = QUESTIONS[i % QUESTIONS.length];
      const [request] = rowsOf<{ id: number }>(
        await tx.execute(sql`
          insert into support_requests (reference, email, name, user_id, status, topic, assigned_to, created_at, updated_at, resolved_at)
          values (${newReference()}, ${c.email}, ${`Demo Customer ${c.n}`}, ${c.id}, ${state}, ${question.topic}, ${state === "open" ? null : (agent?.id ?? null)},
                  ${at.toISOString()}, ${at.toISOString()}, ${state === "resolved" ? new Date(at.getTime() + HOUR).toISOString() : null})
          returning id`),
      );
      await tx.execute(sql`insert into support_messages (request_id, kind, body, created_at) values (${request.id}, 'customer', ${question.body}, ${at.toISOString()})`);
      if (state !== "open" && agent) {
        await tx.execute(sql`
          insert into support_messages (request_id, kind, author_id, body, created_at)
          values (${request.id}, 'reply', ${agent.id}, ${REPLY}, ${new Date(at.getTime() + 0.5 * HOUR).toISOString()})`);
      }
    }
  });

  // 24 hours of the chart, one snapshot a minute, shaped like the day went.
  const final = await incidentCountsByScan(db);
  const ramp = (t: number, from: number, hours: number) => Math.min(1, Math.max(0, (t - from) / (hours * HOUR)));
  const rows = [];
  for (let m = 24 * 60; m >= 1; m--) {
    const t = now - m * 60_000;
    const sent = ramp(t, started, 6);
    const reset = Math.round(final.reset * ramp(t, started + 7 * HOUR, 14));
    const everyone = customers.length;
    const counts = {
      expired: t < started - HOUR ? 0 : Math.max(final.expired, everyone - reset),
      emailed: Math.round(final.emailed * sent),
      delivered: Math.round(final.delivered * ramp(t, started + 0.2 * HOUR, 6)),
      bounced: Math.round(final.bounced * sent),
      complained: Math.round(final.complained * ramp(t, started + HOUR, 8)),
      reset,
      openRequests: Math.round(final.openRequests * ramp(t, started + 8 * HOUR, 12)),
    };
    rows.push(sql`(date_trunc('minute', ${new Date(t).toISOString()}::timestamptz), ${JSON.stringify(counts)}::jsonb)`);
  }
  await db.execute(sql`insert into metric_snapshots (at, counts) values ${sql.join(rows, sql`, `)} on conflict (at) do nothing`);
  log(
    `Seeded a breach day in progress: a paused notice campaign (${final.emailed} of ${customers.length} emailed), ` +
      `${final.reset} customers already reset, 36 support requests and 24 hours of chart history.`,
  );
}
