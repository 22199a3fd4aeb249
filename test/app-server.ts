// Starts the production server (server.mjs, after `next build`) on a port,
// for the bench and the multi-instance test. The child's pid is the server's
// (for RSS and CPU).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type AppServer = {
  url: string;
  pid: number;
  /** Resident memory now and its peak so far (VmHWM), in bytes. */
  memory: () => { rss: number; peak: number };
  /** CPU seconds (user + system) used by the server so far. */
  cpuSeconds: () => number;
  stop: () => Promise<void>;
};

export function hasProductionBuild(root = process.cwd()): boolean {
  return fs.existsSync(path.join(root, ".next", "BUILD_ID"));
}

function procStatus(pid: number, field: string): number {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function procCpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return 0;
  }
}

export async function startAppServer(options: {
  port: number;
  env: Record<string, string>;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Extra node flags, e.g. --cpu-prof (NODE_OPTIONS refuses it). */
  nodeArgs?: string[];
}): Promise<AppServer> {
  const url = `http://localhost:${options.port}`;
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), "server.mjs"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(options.port),
      HOST: "127.0.0.1",
      APP_URL: url,
      AUTH_TRUST_HOST: "true",
      EMAIL_TRANSPORT: "outbox",
      ...options.env,
    },
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) {
      output.push(line);
      if (output.length > 200) output.shift();
      options.log?.(line);
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.on("exit", () => (exited = true));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`The server on port ${options.port} exited:\n${output.join("\n")}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server on port ${options.port} did not become healthy:\n${output.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    memory: () => ({ rss: procStatus(pid, "VmRSS"), peak: procStatus(pid, "VmHWM") }),
    cpuSeconds: () => procCpuSeconds(pid),
    stop: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
