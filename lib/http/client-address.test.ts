import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientAddress, normaliseAddress, parseTrustProxy, TrustProxyError } from "./client-address.mjs";

/** A request as Node gives it to server.mjs: a socket address and headers. */
function req(socketAddress: string, forwardedFor?: string | string[]) {
  const headers: IncomingMessage["headers"] = forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor as string };
  return { socket: { remoteAddress: socketAddress }, headers } as unknown as IncomingMessage;
}
const seen = (setting: string, socketAddress: string, forwardedFor?: string | string[]) =>
  clientAddress(req(socketAddress, forwardedFor), parseTrustProxy(setting));

describe("the client's address behind proxies (TRUST_PROXY)", () => {
  it("trusts no header by default: the socket address is the client's", () => {
    for (const setting of ["", "false", "0"]) {
      expect(seen(setting, "203.0.113.9", "198.51.100.1")).toBe("203.0.113.9");
    }
  });

  it("behind one proxy takes the entry that proxy appended, never the client's leftmost ones", () => {
    // The client wrote "1.1.1.1, 2.2.2.2"; our balancer at 10.0.0.2 appended 203.0.113.9.
    expect(seen("1", "10.0.0.2", "1.1.1.1, 2.2.2.2, 203.0.113.9")).toBe("203.0.113.9");
    // A fresh spoofed leftmost entry per request changes nothing.
    for (const spoof of ["8.8.8.8", "192.0.2.1", "::1"]) {
      expect(seen("1", "10.0.0.2", `${spoof}, 203.0.113.9`)).toBe("203.0.113.9");
    }
    // "true" is read as one proxy (it used to take the leftmost entry).
    expect(seen("true", "10.0.0.2", "1.1.1.1, 203.0.113.9")).toBe("203.0.113.9");
  });

  it("counts several hops from the right", () => {
    // CDN edge appended the client; our balancer appended the edge; the app sees the balancer.
    const chain = "6.6.6.6, 203.0.113.9, 198.51.100.20";
    expect(seen("2", "10.0.0.2", chain)).toBe("203.0.113.9");
    expect(seen("1", "10.0.0.2", chain)).toBe("198.51.100.20");
    expect(seen("3", "10.0.0.2", chain)).toBe("6.6.6.6");
    // Fewer entries than hops: the furthest one there is (still never past the list).
    expect(seen("5", "10.0.0.2", "203.0.113.9")).toBe("203.0.113.9");
    // No header at all behind a proxy: the proxy's own address.
    expect(seen("1", "10.0.0.2")).toBe("10.0.0.2");
  });

  it("trusts a list of addresses and ranges, stopping at the first hop outside them", () => {
    const setting = "10.0.0.0/8, 192.168.1.7, loopback, fd00::/8";
    expect(seen(setting, "10.1.2.3", "5.5.5.5, 203.0.113.9, 192.168.1.7")).toBe("203.0.113.9");
    // A client outside the list talking to us directly: its XFF is ignored.
    expect(seen(setting, "203.0.113.50", "10.0.0.1")).toBe("203.0.113.50");
    // The client cannot claim to be one of our proxies: the walk stops at the first untrusted entry.
    expect(seen(setting, "10.1.2.3", "203.0.113.9, 10.9.9.9")).toBe("203.0.113.9");
    expect(seen(setting, "::1", "2001:db8::5, fd12::1")).toBe("2001:db8::5");
    expect(seen("uniquelocal", "fd00::2", "2001:DB8::AB")).toBe("2001:db8::ab");
  });

  it("joins repeated X-Forwarded-For headers into one list, as Node does", async () => {
    const trust = parseTrustProxy("loopback");
    const server = createServer((request, response) => {
      response.end(JSON.stringify({ header: request.headers["x-forwarded-for"], address: clientAddress(request, trust) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        const r = httpRequest({ host: "127.0.0.1", port, path: "/" }, (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(text));
        });
        r.on("error", reject);
        // Two header lines, as two proxies might write them.
        r.setHeader("X-Forwarded-For", ["9.9.9.9, 203.0.113.9", "127.0.0.5"]);
        r.end();
      });
      expect(JSON.parse(body)).toEqual({ header: "9.9.9.9, 203.0.113.9, 127.0.0.5", address: "203.0.113.9" });
    } finally {
      server.close();
    }
    // Given as an array (another server's shape), the same list.
    expect(seen("2", "10.0.0.2", ["1.1.1.1, 203.0.113.9", "10.0.0.9"])).toBe("203.0.113.9");
  });

  it("normalises IPv4-mapped IPv6 and IPv6 spelling, so one client has one bucket", () => {
    expect(seen("false", "::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(seen("1", "::ffff:10.0.0.2", "::FFFF:203.0.113.9")).toBe("203.0.113.9");
    // The trusted list matches a mapped socket address too.
    expect(seen("10.0.0.0/8", "::ffff:10.0.0.2", "203.0.113.9")).toBe("203.0.113.9");
    expect(seen("false", "2001:DB8::1")).toBe("2001:db8::1");
    expect(normaliseAddress("203.0.113.9:51234")).toBe("203.0.113.9");
    expect(normaliseAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normaliseAddress("")).toBe("unknown");
  });

  it("refuses settings it cannot read, with a message that says what is allowed", () => {
    for (const bad of ["yes", "10.0.0.0/8, nonsense", "300.1.1.1", "10.0.0.0/8/1", "21"]) {
      expect(() => parseTrustProxy(bad), bad).toThrow(TrustProxyError);
    }
    expect(() => parseTrustProxy("10.0.0.0/33")).toThrow(TrustProxyError);
  });
});
