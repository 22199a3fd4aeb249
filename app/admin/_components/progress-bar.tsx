// A labelled progress bar (a native <progress> with its numbers in text).
export function ProgressBar({ label, done, total }: { label: string; done: number; total: number }) {
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 100;
  return (
    <div className="field">
      <span>
        {label}: {done.toLocaleString("en-US")} of {total.toLocaleString("en-US")} ({pct.toFixed(1)}%)
      </span>
      <progress max={100} value={pct} aria-label={label} style={{ width: "100%", height: "1.25rem" }} />
    </div>
  );
}
