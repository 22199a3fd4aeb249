// server.mjs's copy of /notice: the bytes and headers Next.js rendered, an
// ETag and 304s, nothing for other paths or methods, and a fresh copy when
// the notice's version moves (or at once after a publish on this instance).
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createNoticeMemory } from "./notice-memory.mjs";

function fakeApp() {
  const state = { version: "v1", body: "<h1>Notice v1</h1>", status: 200, renders: 0, versionCalls: 0 };
  const fetchImpl = (async (url: string, init?: { headers?: Record<string, string> }) => {
    expect(init?.headers?.["x-reset-desk-internal"]).toBe(process.env.RESET_DESK_INTERNAL_TOKEN);
    if (url.includes("/api/internal/notice-version")) {
      state.versionCalls++;
      return Response.json({ version: state.version });
    }
    state.renders++;
    return new Response(state.body, {
      status: state.status,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "s-maxage=60, stale-while-revalidate=31535940",
        "content-security-policy": "default-src 'self'; script-src 'none'",
        "strict-transport-security": "max-age=63072000; includeSubDomains",
        "x-nextjs-cache": "MISS",
        connection: "keep-alive",
      },
    });
  }) as unknown as typeof fetch;
  return { state, fetchImpl };
}

function request(url: string, method = "GET", headers: Record<string, string> = {}) {
  return { url, method, headers } as never;
}

function response() {
  const out = { status: 0, headers: {} as Record<string, unknown>, body: undefined as Buffer | string | undefined };
  return {
    out,
    res: {
      writeHead(status: number, headers: Record<string, unknown>) {
        out.status = status;
        out.headers = headers;
      },
      end(body?: Buffer) {
        out.body = body;
      },
    } as never,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe("the notice from memory", () => {
  it("serves Next's bytes and headers with an ETag, answers 304, and leaves everything else to Next", async () => {
    const { state, fetchImpl } = fakeApp();
    const memory = createNoticeMemory({ port: 1, fetchImpl, checkSeconds: 3600 });
    expect(memory.serve(request("/notice"), response().res)).toBe(false); // no copy yet
    memory.start();
    await settle();
    const { out, res } = response();
    expect(memory.serve(request("/notice?utm=x"), res)).toBe(true);
    expect(out.status).toBe(200);
    expect(String(out.body)).toBe("<h1>Notice v1</h1>");
    expect(out.headers["content-security-policy"]).toBe("default-src 'self'; script-src 'none'");
    expect(out.headers["strict-transport-security"]).toMatch(/max-age/);
    expect(out.headers["cache-control"]).toMatch(/s-maxage=60/);
    expect(out.headers.connection).toBeUndefined();
    expect(out.headers["x-nextjs-cache"]).toBeUndefined();
    const etag = String(out.headers.etag);
    const notModified = response();
    expect(memory.serve(request("/notice", "GET", { "if-none-match": `W/${etag}` }), notModified.res)).toBe(true);
    expect(notModified.out.status).toBe(304);
    expect(notModified.out.body).toBeUndefined();
    const zipped = response();
    memory.serve(request("/notice", "GET", { "accept-encoding": "gzip, br" }), zipped.res);
    expect(zipped.out.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(zipped.out.body as Buffer).toString()).toBe("<h1>Notice v1</h1>");
    expect(zipped.out.headers.etag).not.toBe(etag);
    const head = response();
    memory.serve(request("/notice", "HEAD"), head.res);
    expect(head.out.body).toBeUndefined();
    for (const [url, method] of [["/notice/x", "GET"], ["/notices", "GET"], ["/notice", "POST"], ["/login", "GET"]]) {
      expect(memory.serve(request(url, method), response().res)).toBe(false);
    }
    // The app's own requests always reach Next.
    expect(memory.serve(request("/notice", "GET", { "x-reset-desk-internal": memory.token }), response().res)).toBe(false);
    expect(state.renders).toBe(1);
    memory.stop();
  });

  it("takes a new copy when the version moves, and drops the old one at once after a publish here", async () => {
    const { state, fetchImpl } = fakeApp();
    const memory = createNoticeMemory({ port: 1, fetchImpl, checkSeconds: 0.05 });
    memory.start();
    await settle();
    state.version = "v2";
    state.body = "<h1>Notice v2</h1>";
    await new Promise((r) => setTimeout(r, 150));
    const a = response();
    memory.serve(request("/notice"), a.res);
    expect(String(a.out.body)).toBe("<h1>Notice v2</h1>");
    memory.stop();

    const here = createNoticeMemory({ port: 1, fetchImpl, checkSeconds: 3600 });
    here.start();
    await settle();
    state.body = "<h1>Notice v3</h1>";
    state.version = "v3";
    here.invalidate();
    expect(here.serve(request("/notice"), response().res)).toBe(false); // straight to Next until the new copy
    await settle();
    const b = response();
    here.serve(request("/notice"), b.res);
    expect(String(b.out.body)).toBe("<h1>Notice v3</h1>");
    here.stop();
  });

  it("copies only a published, shareable page", async () => {
    const { state, fetchImpl } = fakeApp();
    state.status = 404;
    const memory = createNoticeMemory({ port: 1, fetchImpl, checkSeconds: 3600 });
    memory.start();
    await settle();
    expect(memory.serve(request("/notice"), response().res)).toBe(false);
    memory.stop();
  });
});
