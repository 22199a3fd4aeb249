// A plain Node http server that sends one fixed response (the notice's bytes
// and headers as the app served them): the ceiling /notice is measured
// against, in its own process like the app.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SERVER = `
const http = require("node:http");
const fs = require("node:fs");
const [bodyFile, headersFile, port] = process.argv.slice(1);
const body = fs.readFileSync(bodyFile);
const headers = { ...JSON.parse(fs.readFileSync(headersFile, "utf8")), "content-length": body.length };
http.createServer((req, res) => { res.writeHead(200, headers); res.end(body); })
  .listen(Number(port), "127.0.0.1", () => console.log("ready"));
`;

export async function startPlainHttp(body: Buffer, headers: Record<string, string>, port: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rd-plain-http-"));
  fs.writeFileSync(path.join(dir, "body"), body);
  fs.writeFileSync(path.join(dir, "headers.json"), JSON.stringify(headers));
  const child = spawn(process.execPath, ["-e", SERVER, path.join(dir, "body"), path.join(dir, "headers.json"), String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.on("exit", (code) => reject(new Error(`plain http server exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/notice`,
    stop: () => {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
