// Runs a few lines of TypeScript in a process of their own (tsx, this
// repository's paths) and reports how it ended: for checks that a module lets
// a process exit, or keeps it alive while it works.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export async function runScript(source: string, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; timedOut: boolean }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-script-"));
  const file = path.join(dir, "script.ts");
  fs.writeFileSync(file, `(async () => {\n${source}\n})();\n`);
  try {
    return await new Promise((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve({ code: null, stdout, timedOut: true });
      }, timeoutMs);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, timedOut: false });
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
