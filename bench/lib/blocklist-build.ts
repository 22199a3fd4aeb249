// Run as its own process (node --expose-gc --import tsx bench/lib/blocklist-build.ts)
// so that the breach corpus is built from nothing: what a server pays at start.
// Prints one JSON line.
import { warmBreachCorpus } from "@/lib/passwords/corpus";

const gc = (globalThis as { gc?: () => void }).gc;
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
gc?.();
const before = process.memoryUsage();
let peakRss = before.rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
const started = performance.now();
const stats = warmBreachCorpus();
const buildMs = performance.now() - started;
peakRss = Math.max(peakRss, process.memoryUsage().rss);
clearInterval(sampler);
gc?.();
const after = process.memoryUsage();
console.log(
  JSON.stringify({
    buildMs: Math.round(buildMs),
    entries: stats.lines,
    distinct: stats.distinct,
    keysMiB: mib(stats.bytes),
    retainedMiB: mib(after.rss - before.rss),
    retainedHeapAndBuffersMiB: mib(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers),
    peakExtraRssMiB: mib(peakRss - before.rss),
  }),
);
