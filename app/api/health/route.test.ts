import { describe, expect, it } from "vitest";
import { setDbHandle, type Db } from "@/db/client";
import { withTestDb } from "@/test/db";
import { GET } from "./route";

const testDb = withTestDb();

describe("/api/health", () => {
  it("answers 200 {status: ok} when the database answers", async () => {
    testDb();
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers 503 when the database is down", async () => {
    const { db, kind } = testDb();
    const down = {
      execute: () => Promise.reject(new Error("connection refused")),
    } as unknown as Db;
    setDbHandle({ db: down, kind, close: async () => {} });
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBeTruthy();
    } finally {
      setDbHandle({ db, kind, close: async () => {} });
    }
  });
});
