// Exactly once, against real PostgreSQL and the Resend SDK pointed at a local
// Resend-compatible server that answers 429 and 500 now and then: a worker is
// SIGKILLed mid-batch (the provider took the batch, the worker never heard),
// restarted beside a second worker; every recipient gets exactly one email.
import { spawn, type ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { users } from "@/db/schema";
import { startFakeResend, type FakeResend } from "@/test/fake-resend";
import { withTestDb } from "@/test/db";
import { postgresUnavailable, usePostgres } from "@/test/pg-vitest";
import { createCampaign, startCampaign } from "./index";

const why = postgresUnavailable();
if (why) console.warn(`Skipping the campaign exactly-once test: ${why}.`);

const RECIPIENTS = 1_250;
const RATE = 8; // provider calls per second, for all workers together

describe.skipIf(Boolean(why))("campaign workers on PostgreSQL", () => {
  usePostgres(3305);
  const testDb = withTestDb();
  let fake: FakeResend;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeResend({
      // every 6th call: 429 (retry after 1 s); every 5th: 500
      failures: (i) => (i % 6 === 4 ? { status: 429, retryAfterSeconds: 1 } : i % 5 === 2 ? { status: 500 } : null),
    });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await fake?.close();
  });

  function worker(name: string): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/index.ts", "campaign", "work", "--once"], {
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: testDb().url,
        EMAIL_TRANSPORT: "resend",
        RESEND_API_KEY: "re_test_key",
        RESEND_BASE_URL: fake.url,
        CAMPAIGN_CALLS_PER_SECOND: String(RATE),
        CAMPAIGN_LEASE_SECONDS: "3",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    child.on("exit", (code, signal) => {
      if (code !== 0 && signal !== "SIGKILL") console.error(`worker ${name} exited ${code}:\n${out}`);
    });
    children.push(child);
    return child;
  }

  const exited = (c: ChildProcess) =>
    new Promise<number | null>((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.once("exit", (code) => resolve(code))));

  it("sends every recipient exactly one email, skips none, and keeps to the rate", async () => {
    const { db } = testDb();
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => ({
      email: `once-${i}@recipients.example.com`,
      name: `Recipient ${i}`,
      role: "customer" as const,
      passwordExpiredAt: new Date(),
    }));
    for (let i = 0; i < rows.length; i += 500) await db.insert(users).values(rows.slice(i, i + 500));
    const id = await createCampaign(db, { name: "Exactly once" }, { id: null });
    await startCampaign(db, id, { id: null });

    // The provider takes the first good batch but answers only after 10 s:
    // the worker is killed while waiting, so it never records the send.
    fake.setAnswerDelay(10_000);
    const first = worker("first");
    await expect.poll(() => fake.calls.some((c) => c.status === 200), { timeout: 30_000, interval: 50 }).toBe(true);
    first.kill("SIGKILL");
    await exited(first);
    fake.setAnswerDelay(0);
    const acceptedBeforeKill = fake.sent.length;
    expect(acceptedBeforeKill).toBeGreaterThan(0);

    const [a, b] = [worker("second"), worker("third")];
    expect(await exited(a)).toBe(0);
    expect(await exited(b)).toBe(0);

    // Exactly one email per recipient at the provider, none skipped.
    const perAddress = new Map<string, number>();
    for (const e of fake.sent) perAddress.set(e.to, (perAddress.get(e.to) ?? 0) + 1);
    expect(perAddress.size).toBe(RECIPIENTS);
    expect([...perAddress.values()].every((n) => n === 1)).toBe(true);

    // The killed batch was sent again under its key and deduplicated.
    expect(fake.calls.some((c) => c.replayed)).toBe(true);
    expect(fake.calls.some((c) => c.status === 429)).toBe(true);
    expect(fake.calls.some((c) => c.status === 500)).toBe(true);

    // Every recipient is recorded sent with the provider's id for its email.
    const idByAddress = new Map(fake.sent.map((e) => [e.to, e.id]));
    const recorded = rowsOf<{ email: string; status: string; provider_message_id: string | null; sealed_link: string | null }>(
      await db.execute(sql`select email, status, provider_message_id, sealed_link from campaign_recipients where campaign_id = ${id}`),
    );
    expect(recorded).toHaveLength(RECIPIENTS);
    for (const r of recorded) {
      expect(r.status).toBe("sent");
      expect(r.provider_message_id).toBe(idByAddress.get(r.email));
      expect(r.sealed_link).toBeNull();
    }
    const [sentRows] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n, count(distinct "to")::int as d from sent_emails where kind = 'breach_notice'`),
    );
    expect(Number(sentRows.n)).toBe(RECIPIENTS);
    // Each notice carried our own Message-ID, the one recorded for it (a delivery report names it).
    const headerByAddress = new Map(fake.sent.map((e) => [e.to, e.headers?.["Message-ID"]]));
    const ourIds = rowsOf<{ to: string; message_id: string | null }>(
      await db.execute(sql`select "to", message_id from sent_emails where kind = 'breach_notice'`),
    );
    expect(ourIds.every((r) => r.message_id !== null && r.message_id === headerByAddress.get(r.to))).toBe(true);
    const [campaign] = rowsOf<{ status: string }>(await db.execute(sql`select status from campaigns where id = ${id}`));
    expect(campaign.status).toBe("completed");

    // The rate: never more than RATE calls in any one second (20 ms allowed for timer jitter).
    const times = fake.calls.map((c) => c.at).sort((x, y) => x - y);
    for (let i = 0; i + RATE < times.length; i++) expect(times[i + RATE] - times[i]).toBeGreaterThanOrEqual(1000 - 20);
    // retry-after holds every worker back: within it, at most the one call whose
    // turn was taken before the 429 came back.
    for (const c of fake.calls.filter((c) => c.status === 429)) {
      const within = times.filter((t) => t > c.at && t < c.at + 1000 - 20);
      expect(within.length, `calls within retry-after of the 429 at ${c.at}`).toBeLessThanOrEqual(1);
    }
  }, 120_000);
});
