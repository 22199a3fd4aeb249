// The expiry in committed batches: a crash mid-way and a re-run that resumes
// after the last committed batch; idempotent; scopes; links issued before die.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { upsertUser } from "@/lib/accounts";
import { checkResetToken, issueResetLink } from "@/lib/reset-links";
import { uniqueEmail, withTestDb } from "@/test/db";
import { countScope, endSessions, expirePasswords, findJob } from "./index";

const testDb = withTestDb();
const BULK = 50_000;
const actor = { id: null, ip: "test" };

async function count(where: string) {
  const [row] = rowsOf<{ n: number | string }>(await testDb().db.execute(sql.raw(`select count(*)::int8 as n from users where ${where}`)));
  return Number(row.n);
}

describe("expiry", () => {
  it("expires 50,000 customers in committed batches and resumes after a crash without redoing any", async () => {
    const { db } = testDb();
    await db.execute(sql`insert into users (email, role) select 'bulk-' || g || '@bulk.example.com', 'customer' from generate_series(1, ${BULK}) g`);
    const admin = await upsertUser(db, { email: uniqueEmail("admin"), role: "admin", password: "harbour lights glow at dusk" });
    const before = await countScope(db, { kind: "customers" });
    expect(before.notYetExpired).toBeGreaterThanOrEqual(BULK);

    const committed: { from: number; to: number }[] = [];
    await expect(
      expirePasswords(db, { kind: "customers" }, actor, {
        batchSize: 5_000,
        afterBatch: (b) => {
          committed.push(b);
          if (b.number === 4) throw new Error("crash");
        },
      }),
    ).rejects.toThrow("crash");
    const afterCrash = await count("password_expired_at is not null and email like '%@bulk.example.com'");
    expect(afterCrash).toBeGreaterThan(0);
    expect(afterCrash).toBeLessThan(BULK);

    const resumedRanges: { from: number; to: number }[] = [];
    const { job, resumed } = await expirePasswords(db, { kind: "customers" }, actor, {
      batchSize: 5_000,
      afterBatch: (b) => void resumedRanges.push(b),
    });
    expect(resumed).toBe(true);
    // The re-run starts exactly where the last committed batch ended.
    expect(resumedRanges[0].from).toBe(committed[3].to);
    expect(job.status).toBe("finished");
    expect(job.processed).toBe(before.notYetExpired);
    expect(await count("password_expired_at is null and role = 'customer'")).toBe(0);
    // The admin was not in the customers' scope.
    expect(await count(`id = ${admin.id} and password_expired_at is null`)).toBe(1);
    // Every expired account carries the job's one timestamp.
    const [dates] = rowsOf<{ n: number | string }>(
      await db.execute(sql`select count(distinct password_expired_at)::int8 as n from users where email like '%@bulk.example.com'`),
    );
    expect(Number(dates.n)).toBe(1);

    // Safe to run again: nothing left to change.
    const again = await expirePasswords(db, { kind: "customers" }, actor, { batchSize: 5_000 });
    expect(again.resumed).toBe(false);
    expect(again.job.processed).toBe(0);
  }, 120_000);

  it("expires a list of addresses, audits each account, and kills links issued before", async () => {
    const { db } = testDb();
    const email = uniqueEmail("listed");
    const user = await upsertUser(db, { email, role: "customer", password: "a perfectly fine passphrase" });
    const link = await issueResetLink(db, { userId: user.id, purpose: "self_service" });
    const token = link.url.split("/").pop()!;
    expect((await checkResetToken(db, token)).status).toBe("valid");
    await new Promise((r) => setTimeout(r, 5));

    const { job } = await expirePasswords(db, { kind: "emails", emails: [email.toUpperCase(), "nobody@example.com"] }, actor);
    expect(job.processed).toBe(1);
    expect((await findJob(db, job.id))?.status).toBe("finished");
    expect((await checkResetToken(db, token)).status).toBe("invalid");
    const audits = rowsOf<{ action: string }>(await db.execute(sql`select action from audit_events where subject_id = ${user.id}`));
    expect(audits.map((a) => a.action)).toContain("password.expired");
  });

  it("confirms with the counts a full scan gives, for every scope, with disabled and expired staff about", async () => {
    const { db } = testDb();
    const scanned = async () => {
      const [row] = rowsOf<Record<string, number | string>>(
        await db.execute(sql`select
          count(*) filter (where role = 'customer')::int8 as customers,
          count(*) filter (where role = 'customer' and password_expired_at is null)::int8 as customers_open,
          count(*)::int8 as everyone,
          count(*) filter (where password_expired_at is null)::int8 as everyone_open
          from users`),
      );
      return {
        customers: { inScope: Number(row.customers), notYetExpired: Number(row.customers_open) },
        everyone: { inScope: Number(row.everyone), notYetExpired: Number(row.everyone_open) },
      };
    };
    const agent = await upsertUser(db, { email: uniqueEmail("agent-off"), role: "agent", password: "slow tides under copper lanterns" });
    await upsertUser(db, { email: uniqueEmail("agent-expired"), role: "agent" }); // no password: starts expired
    await db.execute(sql`update users set disabled_at = now(), password_expired_at = now() where id = ${agent.id}`);
    await db.execute(sql`insert into users (email, role, password_expired_at)
      select 'scope-' || g || '@scope.example.com', 'customer', case when g % 3 = 0 then now() end from generate_series(1, 300) g`);
    const expected = await scanned();
    expect(await countScope(db, { kind: "customers" })).toEqual(expected.customers);
    expect(await countScope(db, { kind: "everyone" })).toEqual(expected.everyone);
    // A list is counted exactly: two listed, one of them expired, one unknown.
    expect(await countScope(db, { kind: "emails", emails: ["scope-3@scope.example.com", "scope-4@scope.example.com", "nobody@scope.example.com"] })).toEqual({
      inScope: 2,
      notYetExpired: 1,
    });
  });

  it("refuses a bad list and changes nothing", async () => {
    const { db } = testDb();
    await expect(expirePasswords(db, { kind: "emails", emails: ["not an email"] }, actor)).rejects.toThrow(/not an email/);
  });
});

describe("end-sessions", () => {
  it("moves the session version of every account in scope on, once per run", async () => {
    const { db } = testDb();
    const email = uniqueEmail("sessions");
    const user = await upsertUser(db, { email, role: "agent", password: "another fine passphrase" });
    const version = async () =>
      Number(rowsOf<{ v: number }>(await db.execute(sql`select session_version as v from users where id = ${user.id}`))[0].v);
    const v0 = await version();
    await endSessions(db, { kind: "emails", emails: [email] }, actor);
    expect(await version()).toBe(v0 + 1);
    await endSessions(db, { kind: "everyone" }, actor, { batchSize: 20_000 });
    expect(await version()).toBe(v0 + 2);
  }, 60_000);
});
