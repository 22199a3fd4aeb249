// For vitest files that need a real PostgreSQL (several processes on one
// database): DATABASE_URL when set (CI), else a throwaway cluster on `port`
// for this file. Call before withTestDb().
import { afterAll, beforeAll } from "vitest";
import { postgresUnavailable, startThrowawayCluster, type Cluster } from "./pg-cluster";

export { postgresUnavailable } from "./pg-cluster";

export function usePostgres(port: number) {
  let cluster: Cluster | undefined;
  const before = process.env.DATABASE_URL;
  beforeAll(() => {
    if (process.env.DATABASE_URL || postgresUnavailable()) return;
    const started = startThrowawayCluster(port);
    if ("skipped" in started) return;
    cluster = started;
    process.env.DATABASE_URL = started.url;
  }, 60_000);
  afterAll(() => {
    if (!cluster) return;
    process.env.DATABASE_URL = before;
    cluster.stop();
  });
}
