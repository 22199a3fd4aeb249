// The client's address as server.mjs sees it: the socket address, or, behind
// proxies we were told to trust (TRUST_PROXY), the address the nearest
// untrusted hop was seen from. Express's `trust proxy` semantics through
// proxy-addr: X-Forwarded-For is read right to left, because a client can
// write anything on the left but each trusted proxy appends what it saw.
// Plain JavaScript so that server.mjs can use it before Next.js loads.
import { isIP } from "node:net";
import proxyaddr from "proxy-addr";

/** The internal header carrying the address to the app; always overwritten by server.mjs. */
export const CLIENT_ADDRESS_HEADER = "x-reset-desk-ip";

const MAX_HOPS = 20;
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

export class TrustProxyError extends Error {}

/**
 * TRUST_PROXY as a trust function for proxy-addr.
 * - unset, "false", "0": no proxy, the socket address is the client's.
 * - a hop count "N": N proxies of ours, each appending the address it saw.
 *   "true" means 1 (it used to mean "take the leftmost entry", which the
 *   client writes; one proxy is what that setting was meant for).
 * - a comma list of addresses, CIDR ranges and loopback/linklocal/uniquelocal:
 *   hops from those addresses are ours, wherever they sit.
 */
export function parseTrustProxy(raw) {
  const value = String(raw ?? "").trim().toLowerCase();
  if (value === "" || value === "false") return { hops: 0, trust: () => false, describe: "no proxy" };
  if (value === "true") return hopTrust(1);
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) throw new TrustProxyError(`a hop count must be at most ${MAX_HOPS}`);
    return hops === 0 ? { hops: 0, trust: () => false, describe: "no proxy" } : hopTrust(hops);
  }
  const entries = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const entry of entries) {
    if (NAMED_RANGES.has(entry)) continue;
    const [address, bits, extra] = entry.split("/");
    const valid = isIP(address) && extra === undefined && (bits === undefined || /^\d{1,3}$/.test(bits));
    if (!valid) {
      throw new TrustProxyError(
        `"${entry}" is not an address, a CIDR range or one of loopback, linklocal, uniquelocal (or use false, or a hop count like 1)`,
      );
    }
  }
  try {
    return { hops: null, trust: proxyaddr.compile(entries), describe: entries.join(", ") };
  } catch (error) {
    throw new TrustProxyError(error.message);
  }
}

function hopTrust(hops) {
  return { hops, trust: (_address, i) => i < hops, describe: `${hops} proxy hop${hops === 1 ? "" : "s"}` };
}

/** 1.2.3.4 for ::ffff:1.2.3.4; IPv6 lower-cased; a port some proxies append removed. */
export function normaliseAddress(raw) {
  let address = String(raw ?? "").trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.split(":")[0];
  if (isIP(address) === 6) {
    address = address.toLowerCase();
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
    if (mapped) return mapped[1];
  }
  // A trusted proxy wrote it; if it is not an address it still names a source.
  return address.slice(0, 64) || "unknown";
}

/**
 * The client's address of a Node request (headers as Node gives them: repeated
 * X-Forwarded-For headers arrive joined by ", ", which is the same list).
 */
export function clientAddress(req, trust) {
  if (!req.socket?.remoteAddress) return "unknown";
  const header = req.headers["x-forwarded-for"];
  const forwardedFor = Array.isArray(header) ? header.join(", ") : (header ?? "");
  return normaliseAddress(proxyaddr({ headers: { "x-forwarded-for": forwardedFor }, socket: req.socket }, trust.trust));
}
