// The queue's selection: filter, topic and search (reference, address prefix,
// a word from the middle of any message) select exactly the rows they name.
import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { supportMessages, supportRequests, users } from "@/db/schema";
import { uniqueEmail, withTestDb } from "@/test/db";
import { newReference } from "./requests";
import { parseQueueQuery, parseSearch, prefixPattern, queueWhere, type QueueQuery } from "./queue-query";

const testDb = withTestDb();

async function select(query: QueueQuery, agentId: number) {
  const { db } = testDb();
  const rows = await db
    .select({ reference: supportRequests.reference })
    .from(supportRequests)
    .where(queueWhere(query, agentId))
    .orderBy(asc(supportRequests.id));
  return rows.map((r) => r.reference);
}

describe("queue query", () => {
  it("parses what the page sends and drops what it does not know", () => {
    expect(parseQueueQuery({ filter: "waiting", topic: "card", q: "  lock\u0000ed  " })).toEqual({ filter: "waiting", topic: "card", q: "lock ed" });
    expect(parseQueueQuery({ filter: "nope", topic: "nope", q: "   " })).toEqual({ filter: "open" });
    expect(parseQueueQuery({ filter: ["mine", "open"] })).toEqual({ filter: "mine" });
    expect(parseSearch("x".repeat(500))).toHaveLength(200);
    expect(prefixPattern("a_b%c\\")).toBe("a\\_b\\%c\\\\%");
  });

  it("finds by reference, address prefix and a word in the middle of a message, within filter and topic", async () => {
    const { db } = testDb();
    const tag = Date.now().toString(36);
    const [agent] = await db.insert(users).values({ email: uniqueEmail("agent"), role: "agent" }).returning({ id: users.id });
    const made = await db
      .insert(supportRequests)
      .values([
        { reference: newReference(), email: `zoe.${tag}@example.com`, name: "Zoe", topic: "card" },
        { reference: newReference(), email: `zack.${tag}@example.com`, name: "Zack", topic: "sign-in", status: "waiting" },
        { reference: newReference(), email: `amy.${tag}@example.com`, name: "Amy", topic: "card", assignedTo: agent.id },
        { reference: newReference(), email: `zed.${tag}@example.com`, name: "Zed", topic: "card", status: "merged" },
      ])
      .returning({ id: supportRequests.id, reference: supportRequests.reference });
    await db.insert(supportMessages).values([
      { requestId: made[0].id, kind: "customer", body: `Hello. My bank flagged a strange charge yesterday ${tag}qq, please help.` },
      { requestId: made[1].id, kind: "customer", body: "I am locked out of my account." },
      { requestId: made[2].id, kind: "customer", subject: `Refund ${tag}qq`, body: "Where is it?" },
      { requestId: made[3].id, kind: "customer", body: `charge ${tag}qq` },
    ]);
    const [zoe, zack, amy] = made.map((r) => r.reference);

    expect(await select({ filter: "open", q: zoe.toLowerCase() }, agent.id)).toEqual([zoe]);
    expect(await select({ filter: "open", q: `z` }, agent.id)).toEqual(expect.arrayContaining([zoe]));
    expect(await select({ filter: "open", q: `zoe.${tag}` }, agent.id)).toEqual([zoe]);
    expect(await select({ filter: "waiting", q: "locked" }, agent.id)).toEqual(expect.arrayContaining([zack]));
    // A word from the middle of one message, a stemmed word, a subject; the merged request never shows.
    expect(await select({ filter: "open", q: `${tag}qq` }, agent.id)).toEqual([zoe, amy]);
    expect(await select({ filter: "open", q: `charges ${tag}qq` }, agent.id)).toEqual([zoe]);
    expect(await select({ filter: "open", topic: "card", q: `${tag}qq` }, agent.id)).toEqual([zoe, amy]);
    expect(await select({ filter: "open", topic: "sign-in", q: `${tag}qq` }, agent.id)).toEqual([]);
    expect(await select({ filter: "mine", q: `${tag}qq` }, agent.id)).toEqual([amy]);
    // Operators and quotes in a search never break it.
    expect(await select({ filter: "open", q: `"${tag}qq" or !!&|( ')` }, agent.id)).toEqual(expect.arrayContaining([zoe, amy]));
    expect(await select({ filter: "open", q: "100%_" }, agent.id)).toEqual([]);
  });
});
