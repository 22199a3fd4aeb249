// What every CLI command shares: the validated settings, one database
// connection, progress lines, and failures that exit non-zero with a message.
import { closeDb, connect, setDbHandle, type Db } from "@/db/client";
import { DataFolderInUseError } from "@/db/lock";
import { env, EnvError } from "@/lib/env";

export class CliError extends Error {}

export type CommandContext = {
  db: () => Promise<Db>;
  args: string[];
  stdin: () => Promise<string>;
  log: (line: string) => void;
  progress: (done: number, total: number, label?: string) => void;
};

export type Command = {
  summary: string;
  usage: string;
  run: (ctx: CommandContext) => Promise<void>;
};

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function progressLine(done: number, total: number, label = "") {
  const width = 30;
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  return `${bar} ${(ratio * 100).toFixed(1).padStart(5)}%  ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} ${label}`;
}

export async function runCommand(command: Command, args: string[]): Promise<number> {
  let connected = false;
  const tty = process.stderr.isTTY;
  const ctx: CommandContext = {
    args,
    log: (line) => console.log(line),
    stdin: readStdin,
    progress: (done, total, label) => {
      const line = progressLine(done, total, label);
      if (tty) process.stderr.write(`\r${line}${done >= total ? "\n" : ""}`);
      else console.error(line);
    },
    db: async () => {
      const settings = env();
      const handle = await connect({
        databaseUrl: settings.DATABASE_URL,
        dataDir: settings.DATA_DIR,
        poolMax: Math.min(settings.DATABASE_POOL_MAX, 5),
      });
      setDbHandle(handle);
      connected = true;
      return handle.db;
    },
  };
  try {
    await command.run(ctx);
    return 0;
  } catch (error) {
    if (error instanceof DataFolderInUseError || error instanceof EnvError || error instanceof CliError) {
      console.error(`Error: ${error.message}`);
    } else if (error instanceof Error && error.name === "InputError") {
      console.error(`Error: ${error.message}`);
    } else {
      console.error("Error:", error instanceof Error ? error.message : error);
    }
    return 1;
  } finally {
    if (connected) await closeDb();
  }
}
