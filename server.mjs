// The production server: Next.js behind a thin Node HTTP layer that knows the
// client's socket address (Next.js no longer exposes it) and refuses oversize
// bodies before any parsing. Start with `npm run serve` after `next build`.
import { createServer } from "node:http";
import next from "next";

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || "0.0.0.0";
const maxBodyBytes = Number(process.env.MAX_BODY_BYTES || 1024 * 1024);
const dev = process.env.NODE_ENV === "development";

const app = next({ dev, hostname: "localhost", port });
const handle = app.getRequestHandler();

await app.prepare();

const server = createServer((req, res) => {
  // Whatever the client sent in this header is replaced by what we saw.
  req.headers["x-reset-desk-ip"] = req.socket.remoteAddress ?? "unknown";
  // Pages with Referrer-Policy: no-referrer (the reset pages) make browsers
  // send "Origin: null" on form posts, which Next.js refuses for server
  // actions. Sec-Fetch-Site is set only by the browser: "same-origin" proves
  // the post came from one of our own pages, so we restore the origin.
  if (req.headers.origin === "null" && req.headers["sec-fetch-site"] === "same-origin" && req.headers.host) {
    const proto = req.headers["x-forwarded-proto"] === "https" || req.socket.encrypted ? "https" : "http";
    req.headers.origin = `${proto}://${req.headers.host}`;
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBodyBytes) {
    res.writeHead(413, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    res.end("The request is too large.");
    req.destroy();
    return;
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  if (hasBody && req.headers["transfer-encoding"] && !req.headers["content-length"]) {
    res.writeHead(411, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    res.end("Send the request with a Content-Length.");
    return;
  }
  handle(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => {
  console.log(`Reset Desk listening on http://localhost:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  // Exiting runs the data folder's lock release (db/lock.ts).
  process.on(signal, () => process.exit(0));
}
