// Tests that need a real PostgreSQL (several processes on one database): use
// DATABASE_URL when set (CI), else start a throwaway cluster with Debian's
// binaries on the given port, else say why the test is skipped.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";

const PGBIN = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"].find((d) =>
  fs.existsSync(path.join(d, "initdb")),
);

/** Why a real PostgreSQL cannot be had here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (process.env.DATABASE_URL) return null;
  if (!PGBIN) return "no DATABASE_URL and no PostgreSQL server binaries (apt-get install postgresql-15)";
  if (process.getuid?.() !== 0) return "no DATABASE_URL, and starting a throwaway cluster needs root (runuser postgres)";
  if (spawnSync("id", ["postgres"]).status !== 0) return "no DATABASE_URL and no postgres system user";
  return null;
}

/**
 * Registers hooks that make DATABASE_URL point at a PostgreSQL server for this
 * file (call before withTestDb()). The throwaway cluster is removed afterwards.
 */
export function usePostgres(port: number) {
  let dir: string | undefined;
  const before = process.env.DATABASE_URL;
  beforeAll(() => {
    if (process.env.DATABASE_URL || postgresUnavailable()) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-pg-"));
    fs.chmodSync(dir, 0o777);
    const asPostgres = (cmd: string, args: string[]) =>
      execFileSync("runuser", ["-u", "postgres", "--", path.join(PGBIN!, cmd), ...args], { stdio: "pipe" });
    asPostgres("initdb", ["-D", `${dir}/data`, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
    asPostgres("pg_ctl", [
      "-D", `${dir}/data`, "-l", `${dir}/log`, "-w",
      "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off`,
      "start",
    ]);
    process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }, 60_000);
  afterAll(() => {
    if (!dir) return;
    process.env.DATABASE_URL = before;
    spawnSync("runuser", ["-u", "postgres", "--", path.join(PGBIN!, "pg_ctl"), "-D", `${dir}/data`, "-m", "immediate", "stop"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
