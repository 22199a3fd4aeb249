// The provider's rate limit, shared by every worker on every machine (SPEC
// 4.8): one row per provider holds the earliest time the next call may start.
// Taking a turn is one atomic conditional UPDATE (the row lock serialises
// workers), so calls are spaced 1/rate apart whatever the number of workers.
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until this worker may call the provider, and takes that turn. Nobody
 * books turns ahead, so a 429's retry-after (deferSends) holds back every
 * worker, including those already waiting.
 */
export async function acquireSendSlot(db: Db, provider: string, callsPerSecond: number, signal?: AbortSignal): Promise<boolean> {
  const spacing = 1 / callsPerSecond;
  await db.execute(sql`
    insert into provider_rate_windows (provider, next_allowed_at) values (${provider}, clock_timestamp())
    on conflict (provider) do nothing`);
  while (!signal?.aborted) {
    const won = rowsOf<{ provider: string }>(
      await db.execute(sql`
        update provider_rate_windows set next_allowed_at = clock_timestamp() + make_interval(secs => ${spacing})
        where provider = ${provider} and next_allowed_at <= clock_timestamp()
        returning provider`),
    );
    if (won.length === 1) return true;
    const [row] = rowsOf<{ wait_ms: number | string }>(
      await db.execute(sql`
        select (extract(epoch from (next_allowed_at - clock_timestamp())) * 1000)::float8 as wait_ms
        from provider_rate_windows where provider = ${provider}`),
    );
    // Not our turn: sleep until the window opens (with a little spread), then try again.
    await sleep(Math.max(1, Number(row?.wait_ms ?? 0)) + Math.random() * 5);
  }
  return false;
}

/** After a 429: nobody calls the provider again before retry-after has passed. */
export async function deferSends(db: Db, provider: string, seconds: number) {
  await db.execute(sql`
    insert into provider_rate_windows as w (provider, next_allowed_at)
    values (${provider}, clock_timestamp() + make_interval(secs => ${seconds}))
    on conflict (provider) do update
      set next_allowed_at = greatest(w.next_allowed_at, clock_timestamp() + make_interval(secs => ${seconds}))`);
}
