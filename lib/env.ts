// Every setting, validated once by zod. A bad value stops start-up with a
// message naming the variable (SPEC section 2).
import { z } from "zod";
import os from "node:os";
import { parseTrustProxy } from "./http/client-address.mjs";
import { parseServerWorkers } from "./http/cluster.mjs";

const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");
const int = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATABASE_POOL_MAX: int(10, 1, 500),
    DATA_DIR: z.string().min(1).default(".data"),
    APP_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 33)"),
    EMAIL_TRANSPORT: z.enum(["outbox", "resend"]).optional(),
    EMAIL_FROM: z.string().min(3).default("Reset Desk <security@example.com>"),
    RESEND_API_KEY: z.string().min(1).optional(),
    RESEND_BASE_URL: z.url().optional(),
    RESEND_WEBHOOK_SECRET: z.string().min(1).optional(),
    BRAND_NAME: z.string().trim().min(1).max(60).default("Northwind Outfitters"),
    BRAND_COLOR: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #1d4ed8")
      .default("#1e3a8a"),
    SUPPORT_EMAIL: z.email().default("support@example.com"),
    // Support by email (decision 0007): further addresses that reach the desk,
    // the key of the signed reply tokens (derived from AUTH_SECRET when unset),
    // the size kept of one message, and the per-sender hourly caps.
    SUPPORT_INBOUND_ADDRESSES: z
      .string()
      .transform((v) => v.split(/[\s,]+/).filter(Boolean).map((a) => a.toLowerCase()))
      .pipe(z.array(z.email({ error: "must be a comma-separated list of email addresses" })).max(50))
      .default([]),
    SUPPORT_REPLY_TOKEN_KEY: z.string().min(32, "must be at least 32 characters (openssl rand -base64 33)").optional(),
    SUPPORT_INBOUND_MAX_BYTES: int(100_000, 1_000, 10_000_000),
    SUPPORT_INBOUND_ACKS_PER_HOUR: int(3, 0, 10_000),
    SUPPORT_INBOUND_NEW_PER_HOUR: int(5, 1, 10_000),
    PASSWORD_MIN_LENGTH: int(15, 8, 64),
    RESET_TTL_SELF_SERVICE_MINUTES: int(60, 5, 24 * 60),
    RESET_TTL_AGENT_HOURS: int(24, 1, 72),
    RESET_TTL_CAMPAIGN_HOURS: int(24, 1, 24 * 14),
    RESET_COOKIE_MINUTES: int(15, 1, 60),
    RATE_LIMIT_WINDOW_SECONDS: int(900, 10, 86400),
    RATE_LIMIT_SIGNIN_PER_ACCOUNT: int(10, 1, 10000),
    RATE_LIMIT_SIGNIN_PER_IP: int(100, 1, 100000),
    // Unset: 3000, or RATE_LIMIT_SIGNIN_PER_IP if that is higher (never below the failure budget).
    RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).max(10000000).optional(),
    RATE_LIMIT_LINK_PER_ADDRESS: int(5, 1, 10000),
    RATE_LIMIT_LINK_PER_IP: int(30, 1, 100000),
    RATE_LIMIT_TOKEN_PER_IP: int(30, 1, 100000),
    RATE_LIMIT_CONTACT_PER_IP: int(10, 1, 100000),
    RATE_LIMIT_CONTACT_PER_ADDRESS: int(5, 1, 10000),
    HASH_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
    HASH_MAX_WAITING: int(64, 0, 100000),
    HASH_MAX_WAIT_MS: int(2000, 10, 60000),
    MAX_IN_FLIGHT: int(128, 1, 100000),
    MAX_EVENT_LOOP_LAG_MS: int(150, 10, 10000),
    CAMPAIGN_BATCH_SIZE: int(100, 1, 100),
    CAMPAIGN_CALLS_PER_SECOND: z.coerce.number().positive().max(1000).default(2),
    CAMPAIGN_LEASE_SECONDS: int(120, 2, 3600),
    CAMPAIGN_ENQUEUE_CHUNK: int(5000, 100, 100000),
    CAMPAIGN_WORKER_IN_APP: bool.optional(),
    EXPIRY_BATCH_SIZE: int(10000, 100, 1000000),
    // Bulk answers (decision 0015): requests per committed batch (one provider
    // call each, so at most 100) and how long a runner's lease lasts unrenewed.
    BULK_ANSWER_BATCH_SIZE: int(100, 1, 100),
    BULK_ANSWER_LEASE_SECONDS: int(30, 2, 3600),
    // A session unused this long is ended (besides the 8-hour absolute lifetime).
    SESSION_IDLE_MINUTES: int(30, 1, 480),
    // false (none), a hop count, or trusted addresses and ranges (lib/http/client-address.mjs).
    TRUST_PROXY: z
      .string()
      .default("false")
      .superRefine((value, ctx) => {
        try {
          parseTrustProxy(value);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
    // Processes `npm run serve` runs on the one port (lib/http/cluster.mjs).
    SERVER_WORKERS: z
      .string()
      .default("auto")
      .superRefine((value, ctx) => {
        try {
          parseServerWorkers(value, os.availableParallelism?.() ?? os.cpus().length);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
        }
      }),
  })
  .transform((e) => {
    const production = e.NODE_ENV === "production";
    return {
      ...e,
      production,
      RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP:
        e.RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP ?? Math.max(3000, e.RATE_LIMIT_SIGNIN_PER_IP),
      EMAIL_TRANSPORT: e.EMAIL_TRANSPORT ?? (production ? "resend" : "outbox"),
      // The embedded database admits one process, and the outbox is for demos
      // and tests: there the web server sends campaigns itself.
      CAMPAIGN_WORKER_IN_APP:
        e.CAMPAIGN_WORKER_IN_APP ?? (!e.DATABASE_URL || (e.EMAIL_TRANSPORT ?? (production ? "resend" : "outbox")) === "outbox"),
    };
  })
  .superRefine((e, ctx) => {
    const appUrl = new URL(e.APP_URL);
    const local = ["localhost", "127.0.0.1", "[::1]"].includes(appUrl.hostname);
    if (e.production && appUrl.protocol !== "https:" && !local) {
      ctx.addIssue({
        code: "custom",
        path: ["APP_URL"],
        message: "must use https in production (session cookies are Secure)",
      });
    }
    if (e.RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP < e.RATE_LIMIT_SIGNIN_PER_IP) {
      ctx.addIssue({
        code: "custom",
        path: ["RATE_LIMIT_SIGNIN_ATTEMPTS_PER_IP"],
        message: "must be at least RATE_LIMIT_SIGNIN_PER_IP (it caps all attempts, failed or not)",
      });
    }
    if (e.EMAIL_TRANSPORT === "resend" && !e.RESEND_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["RESEND_API_KEY"],
        message: "is required when EMAIL_TRANSPORT=resend",
      });
    }
  });

export type Env = z.output<typeof schema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `  ${i.path.join(".") || "(settings)"}: ${i.message}`,
    );
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

const cache = globalThis as unknown as { __resetDeskEnv?: Env };

/** The validated settings of this process, parsed on first use. */
export function env(): Env {
  cache.__resetDeskEnv ??= parseEnv(process.env);
  return cache.__resetDeskEnv;
}

/** Tests change process.env between cases; this makes the next env() re-read it. */
export function resetEnvCache() {
  delete cache.__resetDeskEnv;
}
