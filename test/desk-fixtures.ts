// Support requests made directly in the database, for tests and the bench
// that need many (the contact form's rate limits and emails are not the
// subject there): each with a customer message and one Message-ID of ours on
// its thread, as if its acknowledgement had been sent.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { newReference } from "@/lib/support/requests";

export type FixtureRequest = { id: number; reference: string; email: string; name: string; threadId: string };

export async function insertRequests(
  db: Db,
  count: number,
  options: { tag?: string; topic?: string; status?: string; message?: (i: number) => string } = {},
): Promise<FixtureRequest[]> {
  const tag = options.tag ?? randomBytes(4).toString("hex");
  const out: FixtureRequest[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, k) => {
      const i = start + k;
      return {
        reference: newReference(),
        email: `bulk-${tag}-${i}@customers.example.com`,
        name: `Customer ${tag} ${i}`,
        body: options.message?.(i) ?? `I cannot sign in since the notice (${tag} ${i}).`,
        threadId: `<ack.${tag}.${i}.${randomBytes(6).toString("hex")}@desk.example.com>`,
      };
    });
    const values = sql.join(
      rows.map((r, k) => sql`(${r.reference}, ${r.email}, ${r.name}, ${options.topic ?? "other"}, ${options.status ?? "open"}, ${k})`),
      sql`, `,
    );
    const created = rowsOf<{ id: number | string; reference: string }>(
      await db.execute(sql`
        insert into support_requests (reference, email, name, topic, status, created_at)
        select v.reference, v.email, v.name, v.topic, v.status, now() - make_interval(secs => 10000 - v.k::int)
        from (values ${values}) as v(reference, email, name, topic, status, k)
        returning id, reference`),
    );
    const idOf = new Map(created.map((c) => [c.reference, Number(c.id)]));
    await db.execute(sql`
      insert into support_messages (request_id, kind, channel, body)
      values ${sql.join(rows.map((r) => sql`(${idOf.get(r.reference)!}, 'customer', 'web', ${r.body})`), sql`, `)}`);
    await db.execute(sql`
      insert into support_thread_ids (message_id, request_id, ours)
      values ${sql.join(rows.map((r) => sql`(${r.threadId}, ${idOf.get(r.reference)!}, true)`), sql`, `)}`);
    for (const r of rows) out.push({ id: idOf.get(r.reference)!, reference: r.reference, email: r.email, name: r.name, threadId: r.threadId });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** A customer writes again on a request (a newer message than any seen before). */
export async function customerWritesAgain(db: Db, requestId: number, body = "One more thing."): Promise<number> {
  const [row] = rowsOf<{ id: number | string }>(
    await db.execute(sql`insert into support_messages (request_id, kind, channel, body) values (${requestId}, 'customer', 'email', ${body}) returning id`),
  );
  return Number(row.id);
}
