// The cached notice: once read, it is served without the database. Next's
// data cache is stood in for by a minimal in-memory store with the interface
// unstable_cache uses outside a request (the e2e test checks the real one).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, getDbHandle, setDbHandle, type Db } from "@/db/client";
import { upsertUser } from "@/lib/accounts";
import { uniqueEmail, withTestDb } from "@/test/db";
import { demoNotice } from "./demo-notice";
import { publishNotice } from "./notice";

// Next's server runtime provides AsyncLocalStorage globally; so does this
// test, before next/* is imported.
vi.hoisted(() => {
  const g = globalThis as unknown as { AsyncLocalStorage?: unknown };
  g.AsyncLocalStorage ??= process.getBuiltinModule("node:async_hooks").AsyncLocalStorage;
});

const testDb = withTestDb();

type Entry = { value: unknown; tags: string[] };
const store = new Map<string, Entry>();
const fakeCache = {
  isOnDemandRevalidate: false,
  generateSimpleCacheKey: async (key: string) => key,
  get: async (key: string) => {
    const entry = store.get(key);
    return entry ? { value: entry.value, isStale: false } : null;
  },
  set: async (key: string, value: unknown, ctx: { tags?: string[] }) => {
    store.set(key, { value, tags: ctx.tags ?? [] });
  },
};
const g = globalThis as unknown as { __incrementalCache?: unknown };

let cached: typeof import("./published");
beforeAll(async () => {
  g.__incrementalCache = fakeCache;
  cached = await import("./published");
});
afterAll(() => {
  delete g.__incrementalCache;
});

describe("the cached notice", () => {
  it("reads the database once, then answers with the database stopped", async () => {
    const { db } = testDb();
    const { id } = await upsertUser(db, { email: uniqueEmail("admin"), role: "admin" });
    const demo = demoNotice("Northwind", "help@example.com");
    await publishNotice(db, { id, email: "a@example.com", name: null, role: "admin" }, {
      title: demo.title,
      discoveredOn: "2026-11-24",
      breachStartedOn: "",
      breachEndedOn: "",
      noticeOn: "2026-11-27",
      sections: demo.sections,
      faq: demo.faq,
      newUpdate: "First update.",
    });

    let queries = 0;
    const real = await getDbHandle();
    const counting = new Proxy(real.db, {
      get(target, prop, receiver) {
        if (prop === "select") queries++;
        return Reflect.get(target, prop, receiver);
      },
    }) as Db;
    setDbHandle({ ...real, db: counting });

    const first = await cached.getPublishedNotice();
    expect(first?.updates[0].body).toBe("First update.");
    expect(queries).toBeGreaterThan(0);
    const afterFirst = queries;

    // "Stop" the database: any query now fails.
    const stopped = new Proxy(real.db, {
      get() {
        throw new Error("the database is stopped");
      },
    }) as Db;
    setDbHandle({ ...real, db: stopped });
    await expect(getDb().then((d) => d.select())).rejects.toThrow(/stopped/);
    for (let i = 0; i < 20; i++) expect(await cached.getPublishedNotice()).toEqual(first);
    expect(await cached.getNoticeBanner()).toEqual({ published: true, publishedAt: first?.publishedAt });
    expect(queries).toBe(afterFirst);
    expect([...store.values()].every((e) => e.tags.includes("notice"))).toBe(true);
    setDbHandle(real);
  });
});
