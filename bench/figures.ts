// Bench figures added by later issues: every bench/figures/<name>.ts is found
// and run after the built-in phases, and its answer stored at results.<name>
// (merged into an existing entry of that name). `npm run bench -- --only a,b`
// runs just those figures (and writes bench/results/only-a,b.json instead of
// latest.json), so a figure can be measured on its own while it is built.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export type FigureContext = {
  log: (line: string) => void;
  /** A PostgreSQL server the figure may create fresh databases on (test/databases.ts reads DATABASE_URL), if any. */
  databaseUrl?: string;
  /** The production app started by the bench, on the bench's seeded database. */
  appUrl?: string;
  appPid?: number;
  pageSeconds: number;
};

export type Figure = (ctx: FigureContext) => Promise<Record<string, unknown>>;

const dir = path.join(import.meta.dirname, "figures");

export function figureNames(): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** `--only a,b` from the command line, or null for the whole bench. */
export function onlyFigures(argv = process.argv.slice(2)): string[] | null {
  const i = argv.indexOf("--only");
  if (i < 0) return null;
  const names = (argv[i + 1] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const known = figureNames();
  const unknown = names.filter((n) => !known.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes figure names from bench/figures/: ${known.join(", ") || "(none yet)"}; unknown: ${unknown.join(", ") || "(none given)"}`);
  }
  return names;
}

export async function runFigures(names: string[], ctx: FigureContext, results: Record<string, unknown>) {
  for (const name of names) {
    ctx.log(`Figure ${name}…`);
    const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { default?: Figure };
    if (typeof mod.default !== "function") throw new Error(`bench/figures/${name}.ts has no default export`);
    const started = Date.now();
    try {
      const out = await mod.default(ctx);
      const existing = results[name];
      results[name] = existing && typeof existing === "object" ? { ...(existing as object), ...out } : out;
    } catch (error) {
      ctx.log(`  figure ${name} failed: ${(error as Error).stack ?? error}${(error as Error).cause ? `\n  cause: ${String((error as Error).cause)}` : ""}`);
      results[name] = { error: String((error as Error).message ?? error) };
    }
    ctx.log(`  figure ${name} took ${Math.round((Date.now() - started) / 1000)} s`);
  }
}
