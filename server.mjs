// The production server: Next.js behind a thin Node HTTP layer that knows the
// client's socket address (Next.js no longer exposes it) and refuses oversize
// bodies before any parsing. Start with `npm run serve` after `next build`.
import cluster from "node:cluster";
import { createServer } from "node:http";
import os from "node:os";

// Argon2 runs on its own threads (lib/passwords/hash-threads.ts), not in
// libuv's pool, so the pool keeps its default size for fs, dns and crypto.
// SERVER_WORKERS > 1 runs that many whole servers on the one port
// (lib/http/cluster.mjs); the primary only forks and replaces them.
if (cluster.isPrimary) await startPrimary();
else await startServer();

async function startPrimary() {
  const { hashThreadsPerWorker, parseServerWorkers, superviseWorkers } = await import("./lib/http/cluster.mjs");
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  let workers;
  try {
    workers = parseServerWorkers(process.env.SERVER_WORKERS, cores);
  } catch (error) {
    console.error(`Invalid configuration:\n  SERVER_WORKERS: ${error.message}`);
    process.exit(1);
  }
  if (workers === 1) return startServer();
  if (!process.env.DATABASE_URL) {
    console.error(
      "Invalid configuration:\n  SERVER_WORKERS: the embedded database belongs to one process; set DATABASE_URL to run several workers, or SERVER_WORKERS=1.",
    );
    process.exit(1);
  }
  const env = { HASH_CONCURRENCY: process.env.HASH_CONCURRENCY || String(hashThreadsPerWorker(cores, workers)) };
  console.log(`Reset Desk: ${workers} worker processes, ${env.HASH_CONCURRENCY} hashing threads each`);
  const supervisor = superviseWorkers(cluster, { count: workers, env, log: (line) => console.error(`[cluster] ${line}`) });
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      supervisor.stop();
      const done = () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0);
      cluster.on("exit", done);
      done();
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
}

// Server actions accept less than other requests (next.config.ts
// serverActions.bodySizeLimit); Next.js answers a larger one with a 500, so it
// is refused here first.
const MAX_ACTION_BODY_BYTES = 256 * 1024;
// Our own refusals carry the same protective headers as every page (SPEC 5.5).
const refusalHeaders = {
  "content-type": "text/plain; charset=utf-8",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "cache-control": "no-store",
  ...(process.env.NODE_ENV === "development"
    ? {}
    : { "strict-transport-security": "max-age=63072000; includeSubDomains" }),
};

function refuse(res, status, message, extra = {}) {
  res.writeHead(status, { ...refusalHeaders, ...extra });
  res.end(message);
}

/**
 * Reads and drops a refused body, so that the client, still sending, gets our
 * answer rather than a reset connection; gives up past 64 MB or 15 seconds.
 */
function discardBody(req) {
  let seen = 0;
  const timer = setTimeout(() => req.destroy(), 15_000);
  timer.unref();
  req.on("data", (chunk) => {
    seen += chunk.length;
    if (seen > 64 * 1024 * 1024) req.destroy();
  });
  req.on("end", () => clearTimeout(timer));
  req.on("error", () => clearTimeout(timer));
  req.resume();
}

/** A path whose %-escapes do not decode (Next.js answers those with a 500). */
function hasMalformedEscapes(url = "/") {
  try {
    decodeURIComponent(url.split("?")[0]);
    return false;
  } catch {
    return true;
  }
}

async function startServer() {
  const { CLIENT_ADDRESS_HEADER, clientAddress, parseTrustProxy } = await import("./lib/http/client-address.mjs");
  let trustProxy;
  try {
    trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
  } catch (error) {
    console.error(`Invalid configuration:\n  TRUST_PROXY: ${error.message}`);
    process.exit(1);
  }
  // Tells instrumentation.ts that this server is in front (plain `next start`
  // would leave every customer without a true address: it refuses to start).
  process.env.RESET_DESK_SERVER = "1";
  const { default: next } = await import("next");
  const { createInFlightLimit, watchEventLoopLag } = await import("./lib/http/in-flight.mjs");
  const { createNoticeMemory } = await import("./lib/http/notice-memory.mjs");

  const port = Number(process.env.PORT || 3000);
  const hostname = process.env.HOST || "0.0.0.0";
  const maxBodyBytes = Number(process.env.MAX_BODY_BYTES || 1024 * 1024);
  const dev = process.env.NODE_ENV === "development";
  // Requests inside Next.js at once, fewer while the event loop runs late; the
  // rest get a fast 503 (lib/http/in-flight.mjs).
  const limit = createInFlightLimit({
    max: Number(process.env.MAX_IN_FLIGHT) || 128,
    maxLagMs: Number(process.env.MAX_EVENT_LOOP_LAG_MS) || 150,
    lagMs: watchEventLoopLag().lagMs,
    retryAfterSeconds: 2,
  });

  // The published notice from memory, refreshed on publish (decision 0014).
  const notice = createNoticeMemory({
    port,
    host: hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname,
    checkSeconds: Number(process.env.NOTICE_CHECK_SECONDS) || 5,
    log: (line) => console.error(`[notice] ${line}`),
  });
  globalThis.__resetDeskNoticeMemory = notice;

  const app = next({ dev, hostname: "localhost", port });
  const handle = app.getRequestHandler();

  await app.prepare();

  const server = createServer((req, res) => {
    // The published notice from memory first: a spike of readers costs no
    // more than a static file (a GET has no body to check, and the copy
    // needs neither the client's address nor the in-flight limit).
    if (notice.serve(req, res)) return;
    // Whatever the client sent in this header is replaced by what we saw
    // (the socket, or X-Forwarded-For read right to left past our proxies).
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req, trustProxy);
    // Pages with Referrer-Policy: no-referrer (the reset pages) make browsers
    // send "Origin: null" on form posts, which Next.js refuses for server
    // actions. Sec-Fetch-Site is set only by the browser: "same-origin" proves
    // the post came from one of our own pages, so we restore the origin.
    if (req.headers.origin === "null" && req.headers["sec-fetch-site"] === "same-origin" && req.headers.host) {
      const proto = req.headers["x-forwarded-proto"] === "https" || req.socket.encrypted ? "https" : "http";
      req.headers.origin = `${proto}://${req.headers.host}`;
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > (req.headers["next-action"] ? MAX_ACTION_BODY_BYTES : maxBodyBytes)) {
      refuse(res, 413, "The request is too large.");
      discardBody(req);
      return;
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    if (hasBody && req.headers["transfer-encoding"] && !req.headers["content-length"]) {
      refuse(res, 411, "Send the request with a Content-Length.", { connection: "close" });
      return;
    }
    if (hasMalformedEscapes(req.url)) {
      refuse(res, 400, "The address is malformed.");
      return;
    }
    if (!limit.admit(req, res)) return;
    handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  // A spike opens thousands of connections at once: with Node's default
  // accept backlog (511) the excess handshakes are dropped and retried by the
  // clients' kernels after 1, 2, 4, 8 s, which showed as a 15-18 s tail in the
  // overload bench. The kernel caps this at net.core.somaxconn.
  server.listen({ port, host: hostname, backlog: 4096 }, () => {
    console.log(
      `Reset Desk listening on http://localhost:${port} (client addresses: ${trustProxy.describe})${cluster.isWorker ? ` [worker ${process.pid}]` : ""}`,
    );
    if (!dev) notice.start();
  });

  for (const signal of ["SIGINT", "SIGTERM"]) {
    // Exiting runs the data folder's lock release (db/lock.ts).
    process.on(signal, () => process.exit(0));
  }
}

