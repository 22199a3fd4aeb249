// Where the e2e server's stdout and stderr are captured (e2e/server.ts), so
// that specs can search the logs for secrets. Shared by playwright.config.ts
// and the specs: the webServer's env is not visible to test workers.
import os from "node:os";
import path from "node:path";

export function serverLogPath(port = Number(process.env.E2E_PORT || 3100)): string {
  return process.env.E2E_SERVER_LOG || path.join(os.tmpdir(), `reset-desk-e2e-server-${port}.log`);
}
