// Load shedding at the door (SPEC 5.4): at most `max` requests inside Next.js
// at once. Past that, a request is answered 503 + Retry-After at once, before
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
 * @param {{ max: number, retryAfterSeconds?: number }} options
 * @returns {{ admit: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => boolean, inFlight: () => number, shed: () => number }}
 */
export function createInFlightLimit({ max, retryAfterSeconds = 2 }) {
  if (!Number.isInteger(max) || max < 1) throw new RangeError("max must be an integer ≥ 1");
  let inFlight = 0;
  let shed = 0;
  return {
    admit(req, res) {
      if (inFlight >= max && !EXEMPT.test(req.url ?? "")) {
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
