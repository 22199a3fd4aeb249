// Load phase, part one: the incident and its staff, the customer file, the
// import through the CLI's own code beside its floor (a plain COPY of the same
// file + one INSERT … SELECT … ON CONFLICT into a users-like table with the
// same indexes), and the expiry through the CLI's own code beside one plain
// UPDATE of the same rows.
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { ensureDemoIncident } from "@/db/seed";
import { upsertUser } from "@/lib/accounts";
import { expirePasswords } from "@/lib/expiry";
import { importCustomers } from "@/lib/imports";
import { writeCustomerCsv } from "./csv";
import { finishedSteps, log, progress, round, step, timed, type Figures } from "./steps";

export const STAFF = {
  admin: { email: "rehearsal-admin@example.com", role: "admin", name: "Rehearsal Admin" },
  agent: { email: "rehearsal-agent@example.com", role: "agent", name: "Rehearsal Agent" },
} as const;
// A throwaway database's staff password: printed nowhere, the same in every run.
export const STAFF_PASSWORD = "quokka lantern ribbon harbour drizzle 7319";

type Reserved = {
  unsafe: (query: string) => Promise<unknown[]> & { writable: () => Promise<NodeJS.WritableStream> };
  release: () => void;
};

async function reserve(db: Db): Promise<Reserved> {
  const client = (db as unknown as { $client: { reserve?: () => Promise<Reserved> } }).$client;
  if (typeof client.reserve !== "function") throw new Error("The rehearsal runs on PostgreSQL (the postgres driver), not PGlite.");
  return client.reserve();
}

export async function loadAccounts(db: Db, rows: number, csvFile: string): Promise<Figures> {
  const figures: Figures = {};
  figures.setup = await step(db, "setup", "The incident, its notice and two staff accounts", async () => {
    await ensureDemoIncident(db, log);
    for (const who of Object.values(STAFF)) await upsertUser(db, { ...who, password: STAFF_PASSWORD });
    return { staff: Object.values(STAFF).map((s) => s.email) };
  });

  figures.csv = await step(db, "csv", `Writing ${rows.toLocaleString("en-US")} customers to ${csvFile}`, async () => {
    const show = progress("rows written", rows);
    const { value: bytes, seconds } = await timed(async () => writeCustomerCsv(csvFile, rows, show));
    return { file: csvFile, rows, megabytes: Math.round(bytes / 1e6), seconds: round(seconds, 1) };
  });
  const done = await finishedSteps(db);
  if ((!done["import-floor"] || !done.import) && !fs.existsSync(csvFile)) {
    // Removed after an interrupted run: the same rows again (the file is the same for the same N).
    log(`  ${csvFile} is gone; writing it again.`);
    writeCustomerCsv(csvFile, rows);
  }

  figures.importFloor = await step(db, "import-floor", "Import floor: plain COPY of the file + one INSERT … SELECT … ON CONFLICT", async () => {
    const conn = await reserve(db);
    try {
      await conn.unsafe(`drop table if exists rehearsal_floor_users; drop sequence if exists rehearsal_floor_id_seq`);
      // Same columns, defaults, constraints and indexes as users; its own ids; no triggers.
      await conn.unsafe(`create sequence rehearsal_floor_id_seq`);
      await conn.unsafe(`create table rehearsal_floor_users (like users including all)`);
      await conn.unsafe(`alter table rehearsal_floor_users alter column id set default nextval('rehearsal_floor_id_seq')`);
      await conn.unsafe(`create temp table rehearsal_floor_staging (email text, name text)`);
      const copy = await timed(async () => {
        const stream = await conn.unsafe(`copy rehearsal_floor_staging (email, name) from stdin with (format csv, header true)`).writable();
        await pipeline(fs.createReadStream(csvFile), stream);
      });
      log(`  plain COPY: ${round(copy.seconds, 1)} s`);
      const merge = await timed(() =>
        conn.unsafe(`insert into rehearsal_floor_users (email, name, role, password_expired_at)
          select email, name, 'customer', now() from rehearsal_floor_staging on conflict (email) do nothing`),
      );
      log(`  INSERT … SELECT … ON CONFLICT: ${round(merge.seconds, 1)} s`);
      const [{ n }] = (await conn.unsafe(`select count(*)::int8 as n from rehearsal_floor_users`)) as { n: string }[];
      await conn.unsafe(`drop table rehearsal_floor_staging; drop table rehearsal_floor_users; drop sequence rehearsal_floor_id_seq`);
      if (Number(n) !== rows) throw new Error(`the floor merged ${n} rows of ${rows}`);
      return { copySeconds: round(copy.seconds, 1), mergeSeconds: round(merge.seconds, 1), seconds: round(copy.seconds + merge.seconds, 1) };
    } finally {
      conn.release();
    }
  });

  figures.import = await step(db, "import", "import-customers (lib/imports, the CLI's code)", async () => {
    const show = progress("rows merged", rows);
    const { value: report, seconds } = await timed(() =>
      importCustomers(db, csvFile, { onProgress: (r) => show(r.created + r.skipped + r.invalid) }),
    );
    show(rows, true);
    if (report.created + report.skipped !== rows || report.invalid !== 0) {
      throw new Error(`import-customers: ${JSON.stringify({ ...report, invalidLines: report.invalidLines.slice(0, 5) })}`);
    }
    const floor = figures.importFloor as { seconds: number };
    return {
      created: report.created,
      skipped: report.skipped,
      invalid: report.invalid,
      seconds: round(seconds, 1),
      rowsPerSecond: Math.round(rows / seconds),
      ratio: round(floor.seconds / seconds),
    };
  });

  figures.expiry = await loadExpiry(db, rows);
  // The un-expire and re-expire cycles above (needed only to time the expiry
  // against its floor) leave users four times its size: 16 GB at 24 M. On a
  // real breach day imported accounts start expired and the expiry changes
  // none of them, so the table stays compact; compacting it here gives the
  // pages that table, and keeps the disk a 24 M rehearsal needs in reach.
  figures.compact = await step(db, "compact-users", "VACUUM FULL users (undoes the rehearsal's own un-expire cycles)", async () => {
    const { seconds } = await timed(() => db.execute(sql`vacuum full analyze users`));
    return { seconds: round(seconds, 1) };
  });
  return figures;
}

const analyseUsers = (db: Db) => db.execute(sql`vacuum analyze users`);

async function loadExpiry(db: Db, rows: number): Promise<Figures> {
  // Imported accounts start expired. To expire them "again" they are first
  // made unexpired (setup, untimed), then one plain UPDATE sets them expired
  // (the floor: the table and its indexes only), then they are made unexpired
  // again and the CLI's expiry runs with the counters' triggers, as the app
  // does. The floor runs with the triggers dropped, not disabled: a disabled
  // trigger with transition tables still has every changed row captured (24 M
  // rows spilled to temporary files). They are created again in the same
  // transaction, after the UPDATE that undoes the floor's (so the two cancel
  // out and the counters stay equal to the rows). Each timed run starts after
  // a VACUUM.
  const floor = await step(db, "expiry-floor", "Expiry floor: one plain UPDATE of the same rows", async () => {
    await db.execute(sql`update users set password_expired_at = null where role = 'customer' and password_expired_at is not null`);
    await analyseUsers(db);
    return db.transaction(async (tx) => {
      const triggers = rowsOf<{ name: string; definition: string }>(
        await tx.execute(sql`select tgname as name, pg_get_triggerdef(oid) as definition from pg_trigger where tgrelid = 'users'::regclass and not tgisinternal`),
      );
      for (const t of triggers) await tx.execute(sql.raw(`drop trigger ${JSON.stringify(t.name)} on users`));
      const plain = await timed(() =>
        tx.execute(sql`update users set password_expired_at = now() where role = 'customer' and password_expired_at is null`),
      );
      await tx.execute(sql`update users set password_expired_at = null where role = 'customer'`);
      for (const t of triggers) await tx.execute(sql.raw(t.definition));
      log(`  plain UPDATE of ${rows.toLocaleString("en-US")} rows: ${round(plain.seconds, 1)} s (triggers ${triggers.map((t) => t.name).join(", ")} dropped for it and created again)`);
      return { seconds: round(plain.seconds, 1), rowsPerSecond: Math.round(rows / plain.seconds), triggersDropped: triggers.map((t) => t.name) };
    });
  });
  return step(db, "expiry", "expire --customers (lib/expiry, the CLI's code)", async () => {
    await analyseUsers(db);
    const show = progress("accounts walked", rows);
    const { value, seconds } = await timed(() =>
      expirePasswords(db, { kind: "customers" }, { id: null, ip: "rehearsal" }, { onProgress: (p) => show(p.done) }),
    );
    show(rows, true);
    const [{ n }] = rowsOf<{ n: string }>(await db.execute(sql`select count(*)::int8 as n from users where role = 'customer' and password_expired_at is not null`));
    if (Number(n) !== rows) throw new Error(`after the expiry ${n} of ${rows} customers are expired`);
    return {
      changed: value.job.processed,
      batchSize: Number(process.env.EXPIRY_BATCH_SIZE || 10_000),
      seconds: round(seconds, 1),
      rowsPerSecond: Math.round(rows / seconds),
      floor,
      ratio: round((floor as { seconds: number }).seconds / seconds),
    };
  });
}
