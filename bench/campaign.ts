// Campaign throughput and memory: workers in this process send a campaign to
// a local Resend-compatible server with no rate limit of its own, so the
// figure is what our side (PostgreSQL, links, rendering, the SDK) can do.
// Peak RSS at 10k and at 1M recipients shows whether memory stays flat.
import { sql } from "drizzle-orm";
import { createCampaign, startCampaign } from "@/lib/campaigns";
import { runWorker } from "@/lib/campaigns/worker";
import { resetEnvCache } from "@/lib/env";
import { startFakeResend } from "@/test/fake-resend";
import { benchDatabase } from "./db";

export type CampaignBench = {
  database: string;
  recipients: number;
  workers: number;
  sent: number;
  complete: boolean;
  seconds: number;
  emailsPerSecond: number;
  peakRssMiB: number;
  peakHeapMiB: number;
};

export async function benchCampaign(
  options: { recipients?: number; workers?: number; maxSeconds?: number; log?: (l: string) => void } = {},
): Promise<CampaignBench> {
  const recipients = options.recipients ?? 10_000;
  const workers = options.workers ?? 3;
  const maxSeconds = options.maxSeconds ?? 150;
  const log = options.log ?? (() => {});
  const fake = await startFakeResend({ keepBodies: false });
  const saved = { ...process.env };
  Object.assign(process.env, {
    AUTH_SECRET: process.env.AUTH_SECRET || "bench-secret-bench-secret-bench-secret-0123",
    EMAIL_TRANSPORT: "resend",
    RESEND_API_KEY: "re_bench",
    RESEND_BASE_URL: fake.url,
    CAMPAIGN_CALLS_PER_SECOND: "1000",
    CAMPAIGN_ENQUEUE_CHUNK: "20000",
  });
  resetEnvCache();
  const { db, kind, close } = await benchDatabase();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 100);
  try {
    log(`campaign bench: ${recipients.toLocaleString("en-US")} recipients (${kind}), ${workers} workers`);
    await db.execute(sql`insert into users (email, name, role) select 'c-' || g || '@bench.example.com', 'Customer ' || g, 'customer' from generate_series(1, ${recipients}) g`);
    const id = await createCampaign(db, { name: "bench" }, { id: null });
    await startCampaign(db, id, { id: null });
    global.gc?.();
    peakRss = 0;
    peakHeap = 0;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), maxSeconds * 1000);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: workers }, (_, i) => runWorker(db, { workerId: `bench-${i}`, once: true, idleMs: 50, signal: controller.signal })),
    );
    const seconds = (performance.now() - started) / 1000;
    clearTimeout(timer);
    sample();
    const sent = fake.sent.length;
    return {
      database: kind,
      recipients,
      workers,
      sent,
      complete: sent === recipients,
      seconds,
      emailsPerSecond: sent / seconds,
      peakRssMiB: peakRss / 2 ** 20,
      peakHeapMiB: peakHeap / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
    await close();
    await fake.close();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    resetEnvCache();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchCampaign({ recipients: Number(process.argv[2]) || undefined, log: console.log }).then((r) => console.log(r));
}
