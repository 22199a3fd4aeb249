// Expiry throughput: the keyset batches of lib/expiry against one plain UPDATE
// of the same rows, in the same run on the same database (issue 7).
import { sql } from "drizzle-orm";
import { expirePasswords } from "@/lib/expiry";
import { benchDatabase } from "./db";

export type ExpiryBench = {
  database: string;
  rows: number;
  batchSize: number;
  plainUpdateSeconds: number;
  keysetSeconds: number;
  plainRowsPerSecond: number;
  keysetRowsPerSecond: number;
  /** keyset rows/s ÷ plain UPDATE rows/s (1.0 = as fast as one UPDATE) */
  ratio: number;
};

export async function benchExpiry(options: { rows?: number; batchSize?: number; log?: (l: string) => void } = {}): Promise<ExpiryBench> {
  const rows = options.rows ?? 1_000_000;
  const batchSize = options.batchSize ?? 50_000;
  const log = options.log ?? (() => {});
  const { db, kind, close } = await benchDatabase();
  try {
    log(`expiry bench: inserting ${rows.toLocaleString("en-US")} accounts (${kind})`);
    await db.execute(sql`insert into users (email, role) select 'bench-' || g || '@bench.example.com', 'customer' from generate_series(1, ${rows}) g`);
    await db.execute(sql`vacuum analyze users`);

    log("expiry bench: one plain UPDATE");
    let started = performance.now();
    await db.execute(sql`update users set password_expired_at = now() where role = 'customer' and password_expired_at is null`);
    const plainUpdateSeconds = (performance.now() - started) / 1000;

    await db.execute(sql`update users set password_expired_at = null`);
    await db.execute(sql`vacuum analyze users`);

    log(`expiry bench: keyset batches of ${batchSize.toLocaleString("en-US")}`);
    started = performance.now();
    const { job } = await expirePasswords(db, { kind: "customers" }, { id: null, ip: "bench" }, { batchSize });
    const keysetSeconds = (performance.now() - started) / 1000;
    if (job.processed !== rows) throw new Error(`the expiry changed ${job.processed} rows, expected ${rows}`);
    const plainRowsPerSecond = rows / plainUpdateSeconds;
    const keysetRowsPerSecond = rows / keysetSeconds;
    return {
      database: kind,
      rows,
      batchSize,
      plainUpdateSeconds,
      keysetSeconds,
      plainRowsPerSecond,
      keysetRowsPerSecond,
      ratio: keysetRowsPerSecond / plainRowsPerSecond,
    };
  } finally {
    await close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchExpiry({ rows: Number(process.argv[2]) || undefined, log: console.log }).then((r) => console.log(r));
}
