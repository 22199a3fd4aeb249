// One database client for the process: embedded PGlite in a data folder when
// DATABASE_URL is unset, PostgreSQL through the `postgres` driver when set.
// Created lazily (never during `next build`) and cached on globalThis so that
// every bundle of the Next server shares it.
import path from "node:path";
import type { SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { acquireDataFolderLock } from "./lock";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

type Handle = { db: Db; kind: "pglite" | "postgres"; close: () => Promise<void> };

const store = globalThis as unknown as { __resetDeskDb?: Promise<Handle> };

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export type ConnectOptions = {
  databaseUrl?: string;
  dataDir?: string; // a folder, or "memory://" for a throwaway in-memory database
  poolMax?: number;
  migrate?: boolean;
  /** Sees every query drizzle sends (the EXPLAIN test collects a page's queries with it). */
  logger?: { logQuery: (query: string, params: unknown[]) => void };
};

export async function connect(opts: ConnectOptions): Promise<Handle> {
  const handle = opts.databaseUrl
    ? await connectPostgres(opts.databaseUrl, opts.poolMax ?? 10, opts.logger)
    : await connectPglite(opts.dataDir ?? ".data", opts.logger);
  if (opts.migrate !== false) await runMigrations(handle);
  return handle;
}

async function connectPostgres(url: string, max: number, logger: ConnectOptions["logger"]): Promise<Handle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle(client, { schema, logger }) as unknown as Db;
  return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
}

async function connectPglite(dataDir: string, logger: ConnectOptions["logger"]): Promise<Handle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const memory = dataDir.startsWith("memory://");
  const release = memory ? () => {} : acquireDataFolderLock(path.resolve(dataDir));
  try {
    const client = memory ? new PGlite() : new PGlite(path.resolve(dataDir));
    await client.waitReady;
    const db = drizzle(client, { schema, logger }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function runMigrations(handle: Handle) {
  if (handle.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder });
    return;
  }
  // Several app instances may start at once: one migrates, the others wait.
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const { sql } = await import("drizzle-orm");
  await handle.db.execute(sql`select pg_advisory_lock(727274)`);
  try {
    await migrate(handle.db as never, { migrationsFolder });
  } finally {
    await handle.db.execute(sql`select pg_advisory_unlock(727274)`);
  }
}

/** The process-wide database, migrated on first use. */
export function getDbHandle(): Promise<Handle> {
  if (process.env.NEXT_PHASE === "phase-production-build") {
    throw new Error("The database is not available while building.");
  }
  if (!store.__resetDeskDb) {
    const attempt = connect({
      databaseUrl: process.env.DATABASE_URL || undefined,
      dataDir: process.env.DATA_DIR || ".data",
      poolMax: Number(process.env.DATABASE_POOL_MAX) || 10,
    });
    // A failed connection is not cached: the next request tries again.
    attempt.catch(() => {
      if (store.__resetDeskDb === attempt) store.__resetDeskDb = undefined;
    });
    store.__resetDeskDb = attempt;
  }
  return store.__resetDeskDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Installs a ready database as the process-wide one (tests, CLI). */
export function setDbHandle(handle: Handle | undefined) {
  store.__resetDeskDb = handle ? Promise.resolve(handle) : undefined;
}

export async function closeDb() {
  const current = store.__resetDeskDb;
  store.__resetDeskDb = undefined;
  if (current) await (await current).close();
}

/** Rows of a raw `db.execute` on either driver. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const dialect = new PgDialect();

/**
 * Rows of a statement run as a prepared statement where the driver has them:
 * postgres.js then parses and plans it once per connection and runs it in one
 * round trip, where drizzle's `execute` takes two (a describe, then the run)
 * and plans it every time. For hot statements whose text does not vary; a
 * connection with `?prepare=false` in DATABASE_URL (PgBouncer in transaction mode) runs it
 * unprepared. PGlite runs it as `execute` would.
 */
export async function executePrepared<T>(db: Db, query: SQL): Promise<T[]> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, "prepared", false);
  return rowsOf<T>(await prepared.execute());
}
