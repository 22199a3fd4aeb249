import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDataFolderLock, DataFolderInUseError } from "./lock";

describe("the embedded database's folder lock", () => {
  it("refuses a second process while the first is alive, with what to do", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-lock-"));
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"]);
    fs.writeFileSync(path.join(dir, "reset-desk.lock"), String(holder.pid));
    try {
      expect(() => acquireDataFolderLock(dir)).toThrow(DataFolderInUseError);
      expect(() => acquireDataFolderLock(dir)).toThrow(/Stop that process.*DATABASE_URL/s);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("takes over a stale lock left by a dead process, and releases it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-lock-"));
    fs.writeFileSync(path.join(dir, "reset-desk.lock"), "999999999");
    const release = acquireDataFolderLock(dir);
    expect(fs.readFileSync(path.join(dir, "reset-desk.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, "reset-desk.lock"))).toBe(false);
  });
});
