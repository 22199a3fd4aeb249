// The rehearsal report (bench/results/rehearsal-N.json): the load's steps
// with their times, the ratios the issue names, the pages, the notice, and
// the machine. Key names are fixed: scripts and docs/capacity.md read
// pages.dashboard.ratio, pages.customer.ratio, pages.lookup.ratio,
// import.ratio, expiry.ratio and notice.plainHttpRatio.
import os from "node:os";
import type { StepRecord, Figures } from "./steps";

const GOALS = {
  pageRatioAtMost: 3,
  importRatioAtLeast: 0.5,
  expiryRatioAtLeast: 0.5,
  noticeRatioAtLeast: 0.5,
};

type Num = number | undefined;
const pick = (figures: Figures | undefined, key: string): Num => (figures?.[key] as number | undefined) ?? undefined;

export function buildReport(input: {
  rows: number;
  database: Record<string, unknown>;
  steps: Record<string, StepRecord>;
  measured: Figures;
  measureStartedAt: Date;
  settings: Record<string, unknown>;
}) {
  const { steps, measured } = input;
  const fig = (name: string) => steps[name]?.figures;
  const stepList = Object.values(steps);
  const loadStart = stepList.map((s) => s.startedAt).sort()[0];
  const loadEnd = stepList.map((s) => s.finishedAt).sort().at(-1);
  const pages = measured.pages as Record<string, { ratio: number; medianMs: number }>;
  const notice = measured.notice as { plainHttpRatio: number } | undefined;
  const importRatio = pick(fig("import"), "ratio");
  const expiryRatio = pick(fig("expiry"), "ratio");
  const floor = fig("import-floor");
  const expiryFloor = fig("expiry-floor");
  return {
    rows: input.rows,
    generatedAt: new Date().toISOString(),
    database: input.database,
    settings: input.settings,
    howToRead:
      "Ratios are taken within this run on this machine. pages.X.ratio = median of page X ÷ median of /account (a signed-in page reading one user by primary key), " +
      "same rounds. import.ratio = (plain COPY of the same CSV into a staging table + one INSERT … SELECT … ON CONFLICT into a users-like table with the same indexes) ÷ import-customers. " +
      "expiry.ratio = one plain UPDATE of the same rows (triggers off) ÷ expire --customers. notice.plainHttpRatio = /notice ÷ a plain Node http server sending the same bytes (wrk).",
    goals: {
      ...GOALS,
      met: {
        dashboard: pages.dashboard.ratio <= GOALS.pageRatioAtMost,
        customer: pages.customer.ratio <= GOALS.pageRatioAtMost,
        lookup: pages.lookup.ratio <= GOALS.pageRatioAtMost,
        import: importRatio !== undefined && importRatio >= GOALS.importRatioAtLeast,
        expiry: expiryRatio !== undefined && expiryRatio >= GOALS.expiryRatioAtLeast,
        notice: notice !== undefined && notice.plainHttpRatio >= GOALS.noticeRatioAtLeast,
      },
    },
    pages: measured.pages,
    import: { ...fig("import"), floor },
    expiry: { ...fig("expiry"), floor: expiryFloor },
    notice: measured.notice,
    campaign: {
      realPath: fig("campaign-real"),
      setBased: fig("campaign-rest"),
      note:
        "A sample went through the real path (campaign workers, the Resend SDK, the local Resend-compatible server answering 429 past the set provider rate); " +
        "the rest was recorded set-based as a finished campaign leaves campaign_recipients, sent_emails, reset_tokens (one campaign link each), email_events and suppressed_emails.",
    },
    webhooks: {
      realPath: fig("webhooks-real"),
      note: "A sample of signed webhooks went over HTTP to the built app (Svix verification by the SDK, replay check, updates); the rest of the share was recorded set-based with the sends.",
    },
    resets: fig("resets"),
    requests: fig("requests"),
    tables: (fig("vacuum") as { tables?: unknown } | undefined)?.tables,
    counts: measured.counts,
    explain: measured.explain,
    load: {
      startedAt: loadStart,
      finishedAt: loadEnd,
      seconds: loadStart && loadEnd ? Math.round((Date.parse(loadEnd) - Date.parse(loadStart)) / 1000) : null,
      steps: Object.fromEntries(stepList.map((s) => [s.step, { seconds: s.seconds, startedAt: s.startedAt, finishedAt: s.finishedAt, loadAverageAtEnd: s.loadAverage }])),
    },
    measure: { startedAt: input.measureStartedAt.toISOString(), finishedAt: new Date().toISOString(), loadAverage: measured.loadAverage, serverPeakRssMiB: measured.serverPeakRssMiB },
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryBytes: os.totalmem(),
      node: process.version,
      note: "A shared 2-core VM: other sessions ran builds and tests at the same time; compare the load averages.",
    },
  };
}

export function summaryLines(report: ReturnType<typeof buildReport>): string[] {
  const p = report.pages as Record<string, { medianMs: number; ratio: number }>;
  const lines = Object.entries(p).map(([name, t]) => `${name.padEnd(10)} ${String(t.medianMs).padStart(8)} ms  ${t.ratio}×`);
  const imp = report.import as { ratio?: number };
  const exp = report.expiry as { ratio?: number };
  const notice = report.notice as { plainHttpRatio?: number } | undefined;
  return [
    ...lines,
    `import ratio ${imp.ratio ?? "—"} (goal ≥ 0.5) · expiry ratio ${exp.ratio ?? "—"} (goal ≥ 0.5) · notice ÷ plain http ${notice?.plainHttpRatio ?? "—"} (goal ≥ 0.5)`,
  ];
}
