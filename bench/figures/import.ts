// import-customers against the floor the issue names, side by side in one
// run: a plain COPY of the same rows into a bare staging table plus one
// INSERT … SELECT … ON CONFLICT into users. Both on fresh databases of the
// same server (DATABASE_URL's, or PGlite in memory). Rows: BENCH_IMPORT_ROWS
// (default 1,000,000 on PostgreSQL, 200,000 on PGlite).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { importCustomers } from "@/lib/imports";
import { copyField, openStaging } from "@/lib/imports/staging";
import { benchDatabase } from "../db";
import type { FigureContext } from "../figures";

function writeCsv(file: string, rows: number) {
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, "email,name\n");
    const batch: string[] = [];
    for (let i = 0; i < rows; i++) {
      batch.push(`customer${i}@import-bench.example.com,"Customer ${i}, Jr"\n`);
      if (batch.length === 10_000) fs.writeSync(fd, batch.splice(0).join(""));
    }
    fs.writeSync(fd, batch.join(""));
  } finally {
    fs.closeSync(fd);
  }
}

export default async function importFigure(ctx: FigureContext) {
  const rows = Number(process.env.BENCH_IMPORT_ROWS) || (ctx.databaseUrl ? 1_000_000 : 200_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-bench-import-"));
  const file = path.join(dir, "customers.csv");
  writeCsv(file, rows);
  const megabytes = fs.statSync(file).size / 1e6;
  try {
    // The floor: COPY the file's rows into a bare table, one set-based merge.
    const floorDb = await benchDatabase();
    let floorSeconds: number;
    try {
      const staging = await openStaging(floorDb.db);
      const text = fs
        .readFileSync(file, "utf8")
        .split("\n")
        .slice(1, -1)
        .map((line, i) => {
          const comma = line.indexOf(",");
          return `${i + 2}\t${copyField(line.slice(0, comma))}\t${copyField(line.slice(comma + 2, -1))}\n`;
        })
        .join("");
      const started = performance.now();
      await staging.query(`create temp table plain_staging (line integer not null, email text not null, name text)`);
      await staging.copy("plain_staging", ["line", "email", "name"], text);
      await staging.query(
        `insert into users (email, name, role, password_expired_at) select email, name, 'customer', now() from plain_staging on conflict (email) do nothing`,
      );
      floorSeconds = (performance.now() - started) / 1000;
      await staging.close();
    } finally {
      await floorDb.close();
    }

    const appDb = await benchDatabase();
    let importSeconds: number;
    let created: number;
    try {
      const started = performance.now();
      const report = await importCustomers(appDb.db, file, {
        onProgress: (r) => {
          if (r.created % 500_000 < 100_000) ctx.log(`  import: ${r.created.toLocaleString("en-US")} created`);
        },
      });
      importSeconds = (performance.now() - started) / 1000;
      created = report.created;
      const [{ n }] = rowsOf<{ n: number }>(
        await appDb.db.execute(sql`select count(*)::int as n from users where email like '%@import-bench.example.com'`),
      );
      if (n !== rows || created !== rows) throw new Error(`import created ${created} (${n} in users) of ${rows} rows`);
    } finally {
      await appDb.close();
    }
    const ratio = floorSeconds / importSeconds;
    ctx.log(
      `  ${rows.toLocaleString("en-US")} rows (${megabytes.toFixed(0)} MB): import-customers ${importSeconds.toFixed(1)} s, ` +
        `COPY + one merge ${floorSeconds.toFixed(1)} s → ratio ${ratio.toFixed(2)} (goal ≥ 0.5)`,
    );
    return {
      rows,
      megabytes: Math.round(megabytes),
      importSeconds: Math.round(importSeconds * 10) / 10,
      importRowsPerSecond: Math.round(rows / importSeconds),
      copyAndMergeSeconds: Math.round(floorSeconds * 10) / 10,
      ratio: Math.round(ratio * 100) / 100,
      goal: "import-customers ≥ 0.5 × (plain COPY into staging + one INSERT … SELECT … ON CONFLICT), same run",
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
