// A bulk answer's lease: one runner at a time advances a job. The owner is a
// random id per runner; the lease runs out when not renewed, so a crashed
// runner's job is taken over by the next one (decision 0015).
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";

/** Takes the job for `owner` unless another live runner holds it. */
export async function claimLease(db: Db, jobId: number, owner: string, leaseSeconds: number): Promise<"ok" | "busy" | "finished" | "missing"> {
  const won = rowsOf(
    await db.execute(sql`
      update bulk_answers set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
      where id = ${jobId} and status = 'running'
        and (lease_owner is null or lease_until is null or lease_until < now() or lease_owner = ${owner})
      returning id`),
  );
  if (won.length === 1) return "ok";
  const [row] = rowsOf<{ status: string }>(await db.execute(sql`select status from bulk_answers where id = ${jobId}`));
  if (!row) return "missing";
  return row.status === "running" ? "busy" : "finished";
}

/** Gives the job back (on any exit but a crash), so the next runner need not wait. */
export async function releaseLease(db: Db, jobId: number, owner: string) {
  await db.execute(sql`update bulk_answers set lease_owner = null, lease_until = null where id = ${jobId} and lease_owner = ${owner}`);
}

/** Extends the runner's lease; false when another runner holds the job now (or it stopped running). */
export async function renewLease(db: Db, jobId: number, owner: string, leaseSeconds: number): Promise<boolean> {
  const rows = rowsOf(
    await db.execute(sql`
      update bulk_answers set lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
      where id = ${jobId} and lease_owner = ${owner} and status = 'running' returning id`),
  );
  return rows.length === 1;
}
