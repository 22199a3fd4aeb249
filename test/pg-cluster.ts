// A throwaway PostgreSQL cluster for the bench and the multi-process specs when
// DATABASE_URL is unset: initdb + pg_ctl as the postgres user (needs root and
// Debian's postgresql package), on a port the caller chooses. Null (with the
// reason) when that is not possible here.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase } from "./databases";

export type Cluster = { url: string; stop: () => void };

function pgBin(): string | null {
  for (const dir of ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"]) {
    if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  }
  const found = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  return found ? path.dirname(found) : null;
}

export function startThrowawayCluster(port: number, settings: string[] = []): Cluster | { skipped: string } {
  const bin = pgBin();
  if (!bin) return { skipped: "no PostgreSQL server binaries (apt-get install -y postgresql-15)" };
  if (process.getuid?.() !== 0) return { skipped: "starting a throwaway cluster needs root (runuser -u postgres)" };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-pg-"));
  fs.chmodSync(dir, 0o755);
  execFileSync("chown", ["postgres:postgres", dir]);
  const asPostgres = (args: string[]) =>
    execFileSync("runuser", ["-u", "postgres", "--", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  asPostgres([path.join(bin, "initdb"), "-D", `${dir}/data`, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    "-c fsync=off",
    ...settings.map((s) => `-c ${s}`),
  ].join(" ");
  asPostgres([path.join(bin, "pg_ctl"), "-D", `${dir}/data`, "-l", `${dir}/log`, "-w", "-o", options, "start"]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asPostgres([path.join(bin, "pg_ctl"), "-D", `${dir}/data`, "-m", "immediate", "stop"]);
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

/** Why a real PostgreSQL cannot be had here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (process.env.DATABASE_URL) return null;
  if (!pgBin()) return "no DATABASE_URL and no PostgreSQL server binaries (apt-get install postgresql-15)";
  if (process.getuid?.() !== 0) return "no DATABASE_URL, and starting a throwaway cluster needs root (runuser postgres)";
  if (spawnSync("id", ["postgres"]).status !== 0) return "no DATABASE_URL and no postgres system user";
  return null;
}

/**
 * A PostgreSQL database for a spec that needs a real server: a fresh database on
 * DATABASE_URL's server, else a throwaway cluster on `port`. Throws with the
 * reason when neither is possible, so the spec fails rather than skips.
 */
export async function postgresForSpec(port: number): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const created = await createTestDatabase();
    return { url: created.url!, cleanup: created.drop };
  }
  const cluster = startThrowawayCluster(port);
  if (!("url" in cluster)) throw new Error(`no PostgreSQL for this spec: ${cluster.skipped}`);
  return { url: cluster.url, cleanup: async () => cluster.stop() };
}
