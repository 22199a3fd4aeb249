// Load shedding at the door (SPEC 5.4): at most `max` requests inside Next.js
// at once, and none let in while the event loop runs late by more than
// `maxLagMs` (the CPU is saturated: anything let in would only wait). Past
// that, a request is answered 503 + Retry-After at once, before
// any rendering, session check or database query, so a storm of sign-ins
// costs the process a few microseconds each instead of an ever longer queue
// in front of the event loop and the database pool. Argon2 has its own,
// tighter admission inside (lib/passwords/admission.ts). Plain JavaScript:
// server.mjs loads it without a build step.

const BUSY_HTML = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>We are very busy right now</title></head>
<body><main><h1>We are very busy right now</h1><p>Many customers are using this service at the same moment, so we could not handle your request. Nothing was changed. Please try again in a few seconds.</p><p><a href="/notice">Read our notice</a></p></main></body></html>`;

/** Paths never shed: the load balancer's health check must tell the truth. */
const EXEMPT = /^\/api\/health(?:$|\?)/;

/**
 * How late the event loop runs: a timer due every `intervalMs` measures its
 * own delay; the figure decays so that one long pause does not shed for long.
 * @param {number} intervalMs
 */
export function watchEventLoopLag(intervalMs = 50) {
  let lag = 0;
  let expected = performance.now() + intervalMs;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = Math.max(0, now - expected);
    lag = Math.max(late, lag * 0.5);
    expected = now + intervalMs;
  }, intervalMs);
  timer.unref();
  return { lagMs: () => lag, stop: () => clearInterval(timer) };
}

/**
 * @param {{ max: number, retryAfterSeconds?: number, maxLagMs?: number, lagMs?: () => number }} options
 * @returns {{ admit: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => boolean, inFlight: () => number, shed: () => number }}
 */
export function createInFlightLimit({ max, retryAfterSeconds = 2, maxLagMs = Infinity, lagMs = () => 0 }) {
  if (!Number.isInteger(max) || max < 1) throw new RangeError("max must be an integer ≥ 1");
  let inFlight = 0;
  let shed = 0;
  return {
    admit(req, res) {
      // Under lag a few requests still go in (a quarter of the slots), so the app keeps serving.
      const saturated = inFlight >= max || (inFlight >= Math.ceil(max / 4) && lagMs() > maxLagMs);
      if (saturated && !EXEMPT.test(req.url ?? "")) {
        shed++;
        res.writeHead(503, {
          "content-type": "text/html; charset=utf-8",
          "retry-after": String(retryAfterSeconds),
          "cache-control": "no-store",
          "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
          "x-content-type-options": "nosniff",
        });
        res.end(req.method === "HEAD" ? undefined : BUSY_HTML);
        return false;
      }
      inFlight++;
      let done = false;
      const release = () => {
        if (done) return;
        done = true;
        inFlight--;
      };
      res.once("close", release);
      res.once("finish", release);
      return true;
    },
    inFlight: () => inFlight,
    shed: () => shed,
  };
}
