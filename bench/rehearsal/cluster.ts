// The rehearsal's PostgreSQL 15: a cluster in a folder of the caller's choice
// (not /tmp, so a 24 M load survives the session) that is left running when
// the rehearsal ends, so the measure phase can be run again later against the
// same data. Its settings are written into postgresql.conf, so a plain
// `pg_ctl start` brings it back exactly as the rehearsal ran it.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const CLUSTER_SETTINGS = [
  "shared_buffers = 2GB",
  "effective_cache_size = 12GB",
  "maintenance_work_mem = 1GB",
  "max_connections = 100",
  "max_wal_size = 4GB",
  "checkpoint_timeout = 30min",
  // A throwaway cluster, as in npm run bench: no fsync. Both sides of every
  // ratio run on it, and the pages read, so the figures do not depend on it.
  "fsync = off",
  "synchronous_commit = off",
  "full_page_writes = off",
];

export type RehearsalCluster = { url: string; dataDir: string; port: number; startCommand: string; created: boolean };

function pgBin(): string {
  for (const dir of ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"]) {
    if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  }
  throw new Error("No PostgreSQL server binaries (apt-get install -y postgresql-15), and no --database-url given.");
}

const asPostgres = (args: string[]) =>
  spawnSync("runuser", ["-u", "postgres", "--", ...args], { encoding: "utf8" });

/** Creates the cluster in `dir` if it is not there, starts it if it is not running; never stops it. */
export function ensureCluster(dir: string, port: number, log: (line: string) => void): RehearsalCluster {
  if (process.getuid?.() !== 0) throw new Error("Starting the rehearsal's PostgreSQL needs root (runuser -u postgres); or pass --database-url.");
  const bin = pgBin();
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "postgresql.log");
  const pgCtl = path.join(bin, "pg_ctl");
  const startCommand = `runuser -u postgres -- ${pgCtl} -D ${dataDir} -l ${logFile} -w start`;
  let created = false;
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o755);
    execFileSync("chown", ["postgres:postgres", dir]);
    log(`Creating a PostgreSQL cluster in ${dataDir} (port ${port})…`);
    const init = asPostgres([path.join(bin, "initdb"), "-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    const conf = [
      "",
      "# Reset Desk rehearsal (bench/rehearsal/cluster.ts)",
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      ...CLUSTER_SETTINGS,
      "",
    ].join("\n");
    fs.appendFileSync(path.join(dataDir, "postgresql.conf"), conf);
    created = true;
  }
  const status = asPostgres([pgCtl, "-D", dataDir, "status"]);
  if (status.status !== 0) {
    log(`Starting PostgreSQL (${dataDir}, port ${port})…`);
    const start = asPostgres([pgCtl, "-D", dataDir, "-l", logFile, "-w", "-t", "300", "start"]);
    if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr || start.stdout}\nSee ${logFile}.`);
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir, port, startCommand, created };
}
