import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/db/client";
import { withTestDb } from "@/test/db";
import { importCustomers, parseCsvLine } from "./index";

const testDb = withTestDb();

describe("import-customers", () => {
  it("parses quoted fields", () => {
    expect(parseCsvLine('a@x.com,"Doe, ""Jo"""')).toEqual(["a@x.com", 'Doe, "Jo"']);
  });

  it("creates expired accounts, skips existing ones and reports invalid rows by line", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rd-import-")), "c.csv");
    const rows = ["email,name", "One@Import.example.com,Ann One", "two@import.example.com,\"Bo, Two\"", "not-an-email,Bad", "", "one@import.example.com,Dup"];
    for (let i = 0; i < 12_000; i++) rows.push(`bulk${i}@import.example.com,Person ${i}`);
    rows.push("three@import.example.com,Bell\u0007");
    fs.writeFileSync(file, rows.join("\n"));
    const { db } = testDb();
    const report = await importCustomers(db, file, { chunk: 1000 });
    expect(report.created).toBe(12_002);
    expect(report.skipped).toBe(1);
    expect(report.invalid).toBe(2);
    expect(report.invalidLines.map((l) => l.line)).toEqual([4, rows.length]);
    const [one] = rowsOf<{ role: string; expired: boolean; name: string }>(
      await db.execute(sql`select role, password_expired_at is not null as expired, name from users where email = 'one@import.example.com'`),
    );
    expect(one).toMatchObject({ role: "customer", expired: true, name: "Ann One" });
    const again = await importCustomers(db, file, { chunk: 1000 });
    expect(again.created).toBe(0);
    expect(again.skipped).toBe(12_003);
  });
});
