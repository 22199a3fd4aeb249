// A throwaway database for one benchmark: a fresh database on DATABASE_URL's
// server when set, else an in-memory PGlite.
import { connect, type Db } from "@/db/client";
import { createTestDatabase } from "@/test/databases";

export async function benchDatabase(): Promise<{ db: Db; kind: string; close: () => Promise<void> }> {
  const created = await createTestDatabase();
  const handle = await connect({ databaseUrl: created.url, dataDir: "memory://", poolMax: 10 });
  return {
    db: handle.db,
    kind: handle.kind,
    close: async () => {
      await handle.close();
      await created.drop();
    },
  };
}
