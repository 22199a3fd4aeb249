// Bulk rows into a temporary staging table with COPY, on either driver: the
// `postgres` driver streams `COPY … FROM STDIN` on a reserved connection (a
// temp table lives on one connection), PGlite reads the same text from a blob.
// Everything between open and close runs on that one connection.
import type { Db } from "@/db/client";

type PostgresClient = {
  reserve: () => Promise<ReservedPostgres>;
};
type ReservedPostgres = {
  unsafe: (query: string, params?: unknown[]) => Promise<unknown[]> & { writable: () => Promise<NodeJS.WritableStream> };
  release: () => void;
};
type PgliteClient = {
  query: (query: string, params?: unknown[], options?: { blob?: Blob }) => Promise<{ rows: unknown[] }>;
  exec: (query: string) => Promise<unknown>;
};

export type Staging = {
  /** Runs a statement on the staging connection and returns its rows. */
  query: <T>(text: string, params?: unknown[]) => Promise<T[]>;
  /** COPY rows (already in PostgreSQL's text format, one per line) into `table`. */
  copy: (table: string, columns: string[], text: string) => Promise<void>;
  close: () => Promise<void>;
};

/** A field in COPY's text format: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyField(value: string | number | null): string {
  if (value === null) return "\\N";
  return String(value).replace(/[\\\t\n\r]/g, (ch) => (ch === "\\" ? "\\\\" : ch === "\t" ? "\\t" : ch === "\n" ? "\\n" : "\\r"));
}

export async function openStaging(db: Db): Promise<Staging> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (client && typeof (client as PostgresClient).reserve === "function") {
    const reserved = await (client as PostgresClient).reserve();
    return {
      query: async <T>(text: string, params: unknown[] = []) => (await reserved.unsafe(text, params)) as T[],
      copy: async (table, columns, text) => {
        const stream = await reserved.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`).writable();
        await new Promise<void>((resolve, reject) => {
          stream.on("error", reject);
          stream.on("finish", () => resolve());
          stream.end(text);
        });
      },
      close: async () => reserved.release(),
    };
  }
  const pglite = client as PgliteClient;
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await pglite.query(text, params)).rows as T[],
    copy: async (table, columns, text) => {
      await pglite.query(`copy ${table} (${columns.join(", ")}) from '/dev/blob'`, [], { blob: new Blob([text]) });
    },
    close: async () => {},
  };
}
