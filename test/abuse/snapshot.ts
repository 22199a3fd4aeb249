// The database's state, as JSON per table, for "bad input changes nothing"
// (SPEC 5.8). The audit trail and rate-limit counters are expected to grow
// with every attempt, so they are left out.
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/client";
import * as schema from "@/db/schema";

const EXPECTED_TO_GROW = new Set(["audit_events", "rate_limit_buckets"]);

export function allTableNames(): string[] {
  return (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => getTableName(table));
}

/** Every row of every table, as text, except the append-only audit and rate-limit counters. */
export async function snapshot(db: Db, tables = allTableNames().filter((t) => !EXPECTED_TO_GROW.has(t))) {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const result = await db.execute(sql`select * from ${sql.identifier(table)} order by 1`);
    out[table] = JSON.stringify(rowsOf(result));
  }
  return out;
}

/** The whole database as one string (for "no secret is stored" searches). */
export async function dumpTables(db: Db, tables = allTableNames()) {
  return snapshot(db, tables);
}
