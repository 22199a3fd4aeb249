// Two agents at the same moment, on real PostgreSQL, each through its own
// connection pool (two app instances). Issue 13, point 3: "Take next" pressed
// by both fifty times over gives 100 different requests, each held by the
// agent it was given to. Point 4: two replies written against the same view
// of a thread, sent at once: one goes out, the other is refused as stale.
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { supportMessages, supportRequests, users } from "@/db/schema";
import { uniqueEmail, withTestDb } from "@/test/db";
import { postgresUnavailable, usePostgres } from "@/test/pg-vitest";
import { newReference } from "./requests";
import { takeNext, type TakeNextResult } from "./queue";
import { replyToRequest } from "./requests";

const why = postgresUnavailable();
if (why) console.warn(`Skipping the concurrent Take next test: ${why}.`);

describe.skipIf(Boolean(why))("two agents at once, on PostgreSQL", () => {
  usePostgres(3307);
  const testDb = withTestDb();

  it("gives 100 presses 100 different requests", async () => {
    const { db, url } = testDb();
    const [a, b] = await db
      .insert(users)
      .values([{ email: uniqueEmail("take-a"), role: "agent" }, { email: uniqueEmail("take-b"), role: "agent" }])
      .returning({ id: users.id });
    await db.insert(supportRequests).values(
      Array.from({ length: 130 }, (_, i) => ({
        reference: newReference(),
        email: `taken-${i}@queue.example`,
        name: `Taken ${i}`,
        createdAt: new Date(Date.UTC(2022, 0, 1) + Math.floor(i / 3) * 1000), // some share a timestamp
      })),
    );
    const instances = [await connect({ databaseUrl: url, poolMax: 4 }), await connect({ databaseUrl: url, poolMax: 4 })];
    try {
      const given: { agent: number; result: TakeNextResult }[] = [];
      for (let round = 0; round < 50; round++) {
        const pair = await Promise.all([
          takeNext(instances[0].db, a.id, { filter: "open" }),
          takeNext(instances[1].db, b.id, { filter: "open" }),
        ]);
        given.push({ agent: a.id, result: pair[0] }, { agent: b.id, result: pair[1] });
      }
      const ids = given.map((g) => (g.result.ok ? g.result.requestId : 0));
      expect(ids.filter((id) => id > 0)).toHaveLength(100);
      expect(new Set(ids).size).toBe(100);
      const rows = await db.select({ id: supportRequests.id, assignedTo: supportRequests.assignedTo }).from(supportRequests).where(inArray(supportRequests.id, ids));
      const holder = new Map(rows.map((r) => [r.id, r.assignedTo]));
      for (const g of given) expect(holder.get(g.result.ok ? g.result.requestId : 0)).toBe(g.agent);
      // The oldest 100 went first; the 30 newest are still unclaimed.
      const left = await db.select({ id: supportRequests.id }).from(supportRequests).where(eq(supportRequests.status, "open"));
      expect(left.length - ids.length).toBe(30);
      expect(Math.max(...ids)).toBeLessThan(Math.min(...left.map((r) => r.id).filter((id) => !ids.includes(id))));
    } finally {
      for (const instance of instances) await instance.close();
    }
  });

  it("sends one of two replies written against the same thread, and refuses the other", async () => {
    const { db, url } = testDb();
    const [a, b] = await db
      .insert(users)
      .values([
        { email: uniqueEmail("reply-a"), role: "agent" },
        { email: uniqueEmail("reply-b"), role: "agent" },
      ])
      .returning({ id: users.id });
    const instances = [await connect({ databaseUrl: url, poolMax: 2 }), await connect({ databaseUrl: url, poolMax: 2 })];
    try {
      for (let round = 0; round < 10; round++) {
        const [request] = await db
          .insert(supportRequests)
          .values({ reference: newReference(), email: `both-${round}@queue.example`, name: "Both" })
          .returning({ id: supportRequests.id });
        const [first] = await db
          .insert(supportMessages)
          .values({ requestId: request.id, kind: "customer", body: "Help" })
          .returning({ id: supportMessages.id });
        const results = await Promise.all([
          replyToRequest(instances[0].db, a.id, request.id, "From A", undefined, { seenMessageId: first.id }),
          replyToRequest(instances[1].db, b.id, request.id, "From B", undefined, { seenMessageId: first.id }),
        ]);
        expect(results.map((r) => (r.ok ? "sent" : r.code)).sort()).toEqual(["sent", "stale"]);
        const replies = await db.select().from(supportMessages).where(and(eq(supportMessages.requestId, request.id), eq(supportMessages.kind, "reply")));
        expect(replies).toHaveLength(1);
      }
    } finally {
      for (const instance of instances) await instance.close();
    }
  });
});
