// import-customers (SPEC 8): streams an `email,name` CSV of any size through
// csv-parse (RFC 4180: quotes, "" escapes, line breaks inside quoted fields, a
// BOM, \r\n), validates each record, COPYs a chunk of rows into a temporary
// staging table and merges it into `users` with one set-based statement (new
// accounts start expired; existing ones are left alone). Memory stays flat:
// one chunk at a time. The report keeps created / skipped (already there) /
// invalid records, invalid ones by the line they start on. Running it again
// after a crash resumes: every row already merged is skipped.
import { createReadStream } from "node:fs";
import { Transform } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import type { Db } from "@/db/client";
import { emailSchema } from "@/lib/accounts";
import { copyField, openStaging } from "./staging";

export type ImportReport = {
  created: number;
  skipped: number;
  invalid: number;
  lines: number;
  invalidLines: { line: number; reason: string }[];
};

export type ImportOptions = {
  /** Rows per COPY + merge (default 100,000). */
  chunk?: number;
  onProgress?: (report: ImportReport) => void;
  maxInvalidListed?: number;
};

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why a record cannot become an account, or its normalised row. */
export function checkRecord(fields: string[]): { email: string; name: string | null } | { reason: string } {
  const [emailField = "", nameField = ""] = fields;
  if (fields.some((f) => f.includes("\uFFFD"))) return { reason: "not valid UTF-8" };
  const parsed = emailSchema.safeParse(emailField);
  if (!parsed.success) return { reason: "not an email address" };
  const name = nameField.trim();
  if (CONTROL.test(name) || name.length > 200)
    return {
      reason: "the name has control characters or is longer than 200 characters",
    };
  return { email: parsed.data, name: name || null };
}

/**
 * CRLF to LF before parsing. csv-parse counts a CR and an LF inside a quoted
 * field as two lines, so line numbers after a CRLF inside a field would drift
 * from what an editor shows; a field's own CRLF becomes LF (names refuse line
 * breaks anyway, other columns are not kept).
 */
export function crlfToLf(): Transform {
  let heldCr = false;
  return new Transform({
    decodeStrings: false,
    transform(chunk: string, _encoding, done) {
      let text = (heldCr ? "\r" : "") + chunk;
      heldCr = text.endsWith("\r");
      if (heldCr) text = text.slice(0, -1);
      done(null, text.replace(/\r\n/g, "\n"));
    },
    flush(done) {
      done(null, heldCr ? "\r" : "");
    },
  });
}

export async function importCustomers(db: Db, file: string, options: ImportOptions = {}): Promise<ImportReport> {
  const chunkSize = options.chunk ?? 100_000;
  const maxListed = options.maxInvalidListed ?? 100;
  const report: ImportReport = {
    created: 0,
    skipped: 0,
    invalid: 0,
    lines: 0,
    invalidLines: [],
  };
  const expiredAt = new Date().toISOString();
  const invalid = (line: number, reason: string) => {
    report.invalid++;
    if (report.invalidLines.length < maxListed) report.invalidLines.push({ line, reason });
  };

  const staging = await openStaging(db);
  try {
    await staging.query(`create temp table if not exists import_staging (line integer not null, email text not null, name text)`);
    await staging.query(`truncate import_staging`);
    // One chunk merges while the next is parsed: the database works on the
    // rows of chunk N while this process reads chunk N+1.
    let pending: string[] = [];
    let merging: Promise<void> = Promise.resolve();
    const merge = async (rows: string[]) => {
      await staging.copy("import_staging", ["line", "email", "name"], rows.join(""));
      // distinct on: a duplicate inside the chunk counts as skipped, like one already in users.
      const [merged] = await staging.query<{ created: number }>(
        `with created as (
           insert into users (email, name, role, password_expired_at)
           select distinct on (email) email, name, 'customer', $1::timestamptz from import_staging order by email, line
           on conflict (email) do nothing
           returning 1)
         select count(*)::int as created from created`,
        [expiredAt],
      );
      await staging.query(`truncate import_staging`);
      report.created += merged.created;
      report.skipped += rows.length - merged.created;
      options.onProgress?.(report);
    };
    const flush = async () => {
      await merging;
      const rows = pending;
      pending = [];
      merging = rows.length > 0 ? merge(rows) : Promise.resolve();
      merging.catch(() => {}); // awaited (and thrown) at the next flush or the end
    };

    // csv-parse counts lines up to a record's end; a record starts as many
    // line breaks earlier as it holds inside its quoted fields.
    const firstLine = (endLine: number, raw: string | undefined) => endLine - (raw?.replace(/^[\r\n]+|[\r\n]+$/g, "").match(/[\r\n]/g)?.length ?? 0);
    const parser = createReadStream(file, { encoding: "utf8" })
      .pipe(crlfToLf())
      .pipe(
        parse({
          bom: true,
          raw: true,
          info: true,
          relax_column_count: true,
          skip_empty_lines: true,
          skip_records_with_error: true,
          on_skip: (error: CsvError | undefined, raw: string | undefined) => {
            const reason =
              error?.code === "CSV_QUOTE_NOT_CLOSED" ? "a quoted field is never closed" : `not a CSV record (${error?.code ?? "unreadable"})`;
            invalid(firstLine(Number(error?.lines ?? report.lines), raw), reason);
            return undefined;
          },
        }),
      );
    for await (const { info, raw, record } of parser as AsyncIterable<{ info: { lines: number }; raw: string; record: string[] }>) {
      const line = firstLine(info.lines, raw);
      report.lines = info.lines;
      if (line === 1 && record[0]?.trim().toLowerCase() === "email") continue; // the header
      const row = checkRecord(record);
      if ("reason" in row) {
        invalid(line, row.reason);
        continue;
      }
      pending.push(`${line}\t${copyField(row.email)}\t${copyField(row.name)}\n`);
      if (pending.length >= chunkSize) await flush();
    }
    await flush();
    await merging;
    options.onProgress?.(report);
    // Parse errors are reported as the parser meets them, a little ahead of the records.
    report.invalidLines.sort((a, b) => a.line - b.line);
    return report;
  } finally {
    await staging.query(`drop table if exists import_staging`).catch(() => {});
    await staging.close();
  }
}
