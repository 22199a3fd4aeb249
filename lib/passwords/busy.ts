// Where a request refused by admission control goes: the friendly 503 page
// (app/busy/route.ts), which carries the real status and Retry-After.
import { OverloadedError } from "./admission";

/** The path of the 503 page for this refusal, e.g. `/busy?retry=2`. */
export function busyPath(error: OverloadedError | { retryAfterSeconds: number }): string {
  const retry = Math.min(3600, Math.max(1, Math.ceil(error.retryAfterSeconds || 1)));
  return `/busy?retry=${retry}`;
}

/** A 503 answer for route handlers and API callers (JSON, with Retry-After). */
export function busyResponse(error: OverloadedError): Response {
  return Response.json(
    { error: "busy", message: error.message, retryAfterSeconds: error.retryAfterSeconds },
    {
      status: 503,
      headers: { "Retry-After": String(error.retryAfterSeconds), "Cache-Control": "no-store" },
    },
  );
}
