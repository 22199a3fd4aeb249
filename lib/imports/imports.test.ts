import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { withTestDb } from "@/test/db";
import { importCustomers } from "./index";

const testDb = withTestDb();

describe("import-customers", () => {
  function csvFile(text: string) {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "rd-import-")),
      "c.csv",
    );
    fs.writeFileSync(file, text);
    return file;
  }

  it("reads RFC 4180: a BOM, CRLF, quotes, escaped quotes and line breaks inside fields, with each bad record's first line", async () => {
    const { db } = testDb();
    const text = [
      "\uFEFFemail,name,address", // 1: header after a BOM
      'quoted@csv.example.com,"Doe, ""Jo""","1 Main St"', // 2
      'multiline@csv.example.com,"Ann Lee","Flat 2\r\n10 High St\nLeeds"', // 3–5: line breaks inside a quoted field
      "not-an-email,After The Break,x", // 6
      '"spaced@csv.example.com",Bo', // 7
      'bad"quote@csv.example.com,Cy', // 8: a quote inside an unquoted field
      "",
      'last@csv.example.com,"Ends,\r\nhere"', // 10–11: a name with a line break is refused (control characters)
      'tail@csv.example.com,"never closed', // 12
    ].join("\r\n");
    const report = await importCustomers(db, csvFile(text), { chunk: 2 });
    expect(report.created).toBe(3);
    expect(report.invalidLines).toEqual([
      { line: 6, reason: "not an email address" },
      { line: 8, reason: expect.stringContaining("not a CSV record") },
      { line: 10, reason: expect.stringContaining("control characters") },
      { line: 12, reason: "a quoted field is never closed" },
    ]);
    const rows = rowsOf<{ email: string; name: string }>(
      await db.execute(
        sql`select email, name from users where email like '%@csv.example.com' order by email`,
      ),
    );
    expect(rows).toEqual([
      { email: "multiline@csv.example.com", name: "Ann Lee" },
      { email: "quoted@csv.example.com", name: 'Doe, "Jo"' },
      { email: "spaced@csv.example.com", name: "Bo" },
    ]);
  });

  it("keeps tabs and backslashes in names intact through COPY", async () => {
    const { db } = testDb();
    const report = await importCustomers(
      db,
      csvFile('email,name\nslash@csv2.example.com,"A\\\\B \\N"\n'),
    );
    expect(report.created).toBe(1);
    const [row] = rowsOf<{ name: string }>(
      await db.execute(
        sql`select name from users where email = 'slash@csv2.example.com'`,
      ),
    );
    expect(row.name).toBe("A\\\\B \\N");
  });

  it("creates expired accounts, skips existing ones and reports invalid rows by line", async () => {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "rd-import-")),
      "c.csv",
    );
    const rows = [
      "email,name",
      "One@Import.example.com,Ann One",
      'two@import.example.com,"Bo, Two"',
      "not-an-email,Bad",
      "",
      "one@import.example.com,Dup",
    ];
    for (let i = 0; i < 12_000; i++)
      rows.push(`bulk${i}@import.example.com,Person ${i}`);
    rows.push("three@import.example.com,Bell\u0007");
    fs.writeFileSync(file, rows.join("\n"));
    const { db } = testDb();
    const report = await importCustomers(db, file, { chunk: 1000 });
    expect(report.created).toBe(12_002);
    expect(report.skipped).toBe(1);
    expect(report.invalid).toBe(2);
    expect(report.invalidLines.map((l) => l.line)).toEqual([4, rows.length]);
    const [one] = rowsOf<{ role: string; expired: boolean; name: string }>(
      await db.execute(
        sql`select role, password_expired_at is not null as expired, name from users where email = 'one@import.example.com'`,
      ),
    );
    expect(one).toMatchObject({
      role: "customer",
      expired: true,
      name: "Ann One",
    });
    const again = await importCustomers(db, file, { chunk: 1000 });
    expect(again.created).toBe(0);
    expect(again.skipped).toBe(12_003);
  });
});
