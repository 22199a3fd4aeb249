// The published notice from memory (decision 0014): server.mjs answers GET
// and HEAD /notice with a copy of the page Next.js rendered — its bytes and its
// headers (CSP, cache, HSTS, nosniff…) — without React or the database, with
// an ETag and 304s. The copy is refreshed when the notice changes: at once on
// the instance that published (revalidateNotice() calls invalidate()), and
// within `checkSeconds` on every other instance, which asks the app for the
// notice's version (/api/internal/notice-version, a cheap query) and, when it
// moved, has the app expire its own page cache before taking a fresh copy.
import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";

// Hop-by-hop and per-response headers that are not part of the copy.
const SKIPPED = new Set(["connection", "keep-alive", "transfer-encoding", "date", "content-length", "etag", "vary", "x-nextjs-cache", "content-encoding"]);

/**
 * @param {{ port: number, host?: string, checkSeconds?: number, fetchImpl?: typeof fetch, log?: (line: string) => void }} options
 */
export function createNoticeMemory({ port, host = "127.0.0.1", checkSeconds = 5, fetchImpl = fetch, log = () => {} }) {
  // Requests from this process to itself carry this token: they go through to
  // Next.js (never the copy), and only they may call the internal route.
  const token = randomBytes(24).toString("base64url");
  process.env.RESET_DESK_INTERNAL_TOKEN = token;
  let copy = null; // { plain, gzip }: each { body, etag, headers, notModified }
  let version = null;
  let refreshing = null;
  let timer = null;
  // Bumped by invalidate(): a copy taken before a publish is never kept after it.
  let generation = 0;

  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  async function takeCopy() {
    const res = await fetchImpl(`${origin}/notice`, { headers: { "x-reset-desk-internal": token } });
    const body = Buffer.from(await res.arrayBuffer());
    const cacheControl = res.headers.get("cache-control") ?? "";
    // Only a published notice, cacheable by anyone, is copied; anything else
    // (no notice yet: 404, an error) goes through to Next.js each time.
    if (res.status !== 200 || !/s-maxage|public/.test(cacheControl)) return null;
    const headers = {};
    res.headers.forEach((value, key) => {
      if (!SKIPPED.has(key)) headers[key] = value;
    });
    headers.vary = "Accept-Encoding";
    headers["x-reset-desk-notice"] = "memory";
    // fetch() hands over the decoded page; the copy keeps it plain and gzipped.
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    const gzipped = gzipSync(body);
    const gzipEtag = `${etag.slice(0, -1)}-gz"`;
    // Header sets built once per copy: a request costs a lookup, not a copy.
    return {
      plain: { body, etag, headers: { ...headers, etag, "content-length": body.length }, notModified: { ...headers, etag } },
      gzip: {
        body: gzipped,
        etag: gzipEtag,
        headers: { ...headers, etag: gzipEtag, "content-encoding": "gzip", "content-length": gzipped.length },
        notModified: { ...headers, etag: gzipEtag, "content-encoding": "gzip" },
      },
    };
  }

  function refresh() {
    if (!refreshing) {
      const started = generation;
      refreshing = takeCopy()
        .then((next) => {
          if (started === generation) copy = next;
        })
        .catch((error) => log(`notice copy failed: ${error?.message ?? error}`))
        .finally(() => {
          refreshing = null;
        });
    }
    return refreshing;
  }

  async function check() {
    try {
      const url = `${origin}/api/internal/notice-version${version ? `?known=${encodeURIComponent(version)}` : ""}`;
      const res = await fetchImpl(url, { headers: { "x-reset-desk-internal": token } });
      if (!res.ok) return;
      const { version: current } = await res.json();
      if (current !== version) {
        version = current;
        await refresh();
      }
    } catch (error) {
      log(`notice version check failed: ${error?.message ?? error}`);
    }
  }

  return {
    token,
    /** Starts the version checks (call once the server listens). */
    start() {
      void check();
      timer = setInterval(check, checkSeconds * 1000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
    /** The notice changed on this instance: drop the copy now, take a new one. */
    invalidate() {
      generation++;
      copy = null;
      version = null;
      // A copy being taken now may hold the old page: check once it is done.
      if (refreshing) void refreshing.finally(check);
      else void check();
    },
    /** Whether this request is the app talking to itself. */
    isInternal(req) {
      return req.headers["x-reset-desk-internal"] === token;
    },
    /** Answers the request from the copy and returns true, or returns false. */
    serve(req, res) {
      if (!copy || (req.method !== "GET" && req.method !== "HEAD")) return false;
      const path = (req.url ?? "").split("?")[0];
      if (path !== "/notice" || this.isInternal(req)) return false;
      const accept = req.headers["accept-encoding"];
      const variant = accept && /\bgzip\b/.test(accept) ? copy.gzip : copy.plain;
      const inm = req.headers["if-none-match"];
      if (inm && inm.split(",").some((t) => t.trim().replace(/^W\//, "") === variant.etag)) {
        res.writeHead(304, variant.notModified);
        res.end();
        return true;
      }
      res.writeHead(200, variant.headers);
      res.end(req.method === "HEAD" ? undefined : variant.body);
      return true;
    },
  };
}
