// /notice against a plain Node http server sending the same bytes and headers
// (the ceiling for the notice): three alternating wrk rounds, medians
// of each side, so a burst of other load on the machine moves both sides.
// Used by npm run bench and by the rehearsal.
import { startPlainHttp } from "./plain-http";
import { measureThroughput, type ThroughputResult } from "./wrk";

export type NoticeVsPlain = {
  notice: ThroughputResult;
  plainHttp: ThroughputResult;
  rounds: { notice: number; plain: number }[];
  noticeMedianPerSecond: number;
  plainMedianPerSecond: number;
  plainHttpRatio: number;
  servedFromMemory: boolean;
  bytes: number;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function noticeAgainstPlainHttp(
  appUrl: string,
  options: { seconds: number; plainPort: number; connections?: number; log?: (line: string) => void },
): Promise<NoticeVsPlain> {
  const noticeUrl = `${appUrl}/notice`;
  const connections = options.connections ?? 32;
  // server.mjs serves /notice from its copy once it has taken one (a few seconds after start).
  for (let i = 0; i < 50 && (await fetch(noticeUrl)).headers.get("x-reset-desk-notice") !== "memory"; i++) await new Promise((r) => setTimeout(r, 200));
  const notice = await measureThroughput(noticeUrl, { connections, seconds: options.seconds });
  options.log?.(`  /notice ${notice.perSecond}/s`);
  const sample = await fetch(noticeUrl, { headers: { "accept-encoding": "identity" } });
  const headers: Record<string, string> = {};
  sample.headers.forEach((v, k) => {
    if (!["connection", "keep-alive", "date", "content-length", "transfer-encoding"].includes(k)) headers[k] = v;
  });
  const body = Buffer.from(await sample.arrayBuffer());
  const plain = await startPlainHttp(body, headers, options.plainPort);
  const rounds: { notice: number; plain: number }[] = [];
  let plainHttp: ThroughputResult;
  try {
    plainHttp = await measureThroughput(plain.url, { connections, seconds: options.seconds });
    rounds.push({ notice: notice.perSecond, plain: plainHttp.perSecond });
    for (let i = 0; i < 2; i++) {
      const n = await measureThroughput(noticeUrl, { connections, seconds: options.seconds });
      const p = await measureThroughput(plain.url, { connections, seconds: options.seconds });
      rounds.push({ notice: n.perSecond, plain: p.perSecond });
    }
  } finally {
    plain.stop();
  }
  const noticeMedianPerSecond = median(rounds.map((r) => r.notice));
  const plainMedianPerSecond = median(rounds.map((r) => r.plain));
  options.log?.(`  plain Node http, same bytes: ${plainHttp.perSecond}/s; medians of 3 rounds: /notice ${noticeMedianPerSecond}/s, plain ${plainMedianPerSecond}/s`);
  return {
    notice,
    plainHttp,
    rounds,
    noticeMedianPerSecond,
    plainMedianPerSecond,
    plainHttpRatio: Math.round((noticeMedianPerSecond / plainMedianPerSecond) * 100) / 100,
    servedFromMemory: sample.headers.get("x-reset-desk-notice") === "memory",
    bytes: body.length,
  };
}
