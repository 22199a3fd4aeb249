// A fresh, migrated database for one test file: in-memory PGlite by default,
// a new database on the PostgreSQL server when DATABASE_URL is set (dropped
// afterwards). Installed as the process-wide database so lib/ code finds it.
import { afterAll, beforeAll } from "vitest";
import { closeDb, connect, setDbHandle, type Db } from "@/db/client";
import { createTestDatabase } from "./databases";

export type TestDb = { db: Db; url?: string; kind: "pglite" | "postgres" };

/** Call at the top of a test file; returns a getter for the file's database. */
export function withTestDb(): () => TestDb {
  let current: TestDb | undefined;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const created = await createTestDatabase();
    drop = created.drop;
    const handle = await connect({
      databaseUrl: created.url,
      dataDir: "memory://",
      poolMax: 5,
    });
    setDbHandle(handle);
    current = { db: handle.db, url: created.url, kind: handle.kind };
  });
  afterAll(async () => {
    await closeDb();
    await drop();
  });
  return () => {
    if (!current) throw new Error("withTestDb(): the database is not ready yet (use it inside a test).");
    return current;
  };
}

let counter = 0;
/** A unique email for this test run: tests never share accounts. */
export function uniqueEmail(prefix = "user"): string {
  counter++;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}
