// The client's address, for rate limits and the audit trail. server.mjs works
// it out from the socket and, behind proxies we trust (TRUST_PROXY), from
// X-Forwarded-For (lib/http/client-address.mjs), and always overwrites this
// header with it, so a client's own value never gets here. Production refuses
// to start without server.mjs in front (instrumentation.ts).
import { CLIENT_ADDRESS_HEADER } from "./client-address.mjs";

export function clientIp(headers: Headers): string {
  return headers.get(CLIENT_ADDRESS_HEADER)?.slice(0, 64) || "unknown";
}
