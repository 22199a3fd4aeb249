// import-customers (SPEC 8): streams an `email,name` CSV of any size (memory
// flat: one chunk of rows at a time), creates accounts that start expired,
// and reports created / skipped (already there) / invalid rows by line number.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { emailSchema } from "@/lib/accounts";

export type ImportReport = { created: number; skipped: number; invalid: number; lines: number; invalidLines: { line: number; reason: string }[] };

/** One CSV record on one line: fields split on commas, "quoted, fields" with "" escapes. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

export async function importCustomers(
  db: Db,
  file: string,
  options: { chunk?: number; onProgress?: (report: ImportReport) => void; maxInvalidListed?: number } = {},
): Promise<ImportReport> {
  const chunkSize = options.chunk ?? 5_000;
  const maxListed = options.maxInvalidListed ?? 100;
  const report: ImportReport = { created: 0, skipped: 0, invalid: 0, lines: 0, invalidLines: [] };
  const expiredAt = new Date();
  let pending: { email: string; name: string | null }[] = [];
  const seen = new Set<string>(); // duplicates inside one chunk

  const flush = async () => {
    if (pending.length === 0) return;
    const values = pending.map((r) => sql`(${r.email}, ${r.name})`);
    const inserted = rowsOf<{ id: number }>(
      await db.execute(sql`
        insert into users (email, name, role, password_expired_at)
        select v.email, v.name, 'customer', ${expiredAt.toISOString()}::timestamptz from (values ${sql.join(values, sql`, `)}) as v(email, name)
        on conflict (email) do nothing
        returning id`),
    );
    report.created += inserted.length;
    report.skipped += pending.length - inserted.length;
    pending = [];
    seen.clear();
    options.onProgress?.(report);
  };

  const invalid = (line: number, reason: string) => {
    report.invalid++;
    if (report.invalidLines.length < maxListed) report.invalidLines.push({ line, reason });
  };

  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const raw of lines) {
    report.lines++;
    const lineNo = report.lines;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (line.trim() === "") continue;
    const [emailField = "", nameField = ""] = parseCsvLine(line);
    if (lineNo === 1 && emailField.trim().toLowerCase() === "email") continue; // the header
    if (line.includes("\uFFFD")) {
      invalid(lineNo, "not valid UTF-8");
      continue;
    }
    const parsed = emailSchema.safeParse(emailField);
    if (!parsed.success) {
      invalid(lineNo, "not an email address");
      continue;
    }
    const email = parsed.data;
    const name = nameField.trim();
    if (CONTROL.test(name) || name.length > 200) {
      invalid(lineNo, "the name has control characters or is longer than 200 characters");
      continue;
    }
    if (seen.has(email)) {
      report.skipped++;
      continue;
    }
    seen.add(email);
    pending.push({ email, name: name || null });
    if (pending.length >= chunkSize) await flush();
  }
  await flush();
  return report;
}
