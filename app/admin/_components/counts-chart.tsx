// The counts over time as an inline SVG drawn on the server (no script).
import type { IncidentCounts } from "@/lib/campaigns/metrics";

const SERIES: { key: keyof IncidentCounts; label: string; color: string; dash?: string }[] = [
  { key: "expired", label: "Expired", color: "#1e3a8a" },
  { key: "emailed", label: "Emailed", color: "#0f766e" },
  { key: "delivered", label: "Delivered", color: "#15803d", dash: "6 3" },
  { key: "bounced", label: "Bounced", color: "#b91c1c" },
  { key: "reset", label: "Reset", color: "#7c3aed", dash: "2 3" },
  { key: "openRequests", label: "Open requests", color: "#b45309", dash: "8 3 2 3" },
];

export function CountsChart({ points, id }: { points: { at: Date; counts: Partial<IncidentCounts> }[]; id: string }) {
  const width = 640;
  const height = 240;
  const pad = { left: 56, right: 12, top: 12, bottom: 28 };
  if (points.length < 2) {
    return <p className="muted">Not enough snapshots yet: the chart fills in a minute at a time.</p>;
  }
  const t0 = points[0].at.getTime();
  const t1 = points[points.length - 1].at.getTime();
  const max = Math.max(1, ...points.flatMap((p) => SERIES.map((s) => p.counts[s.key] ?? 0)));
  const x = (t: number) => pad.left + ((t - t0) / Math.max(1, t1 - t0)) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
  const long = t1 - t0 > 24 * 3600 * 1000;
  const fmt = (d: Date) => (long ? d.toISOString().slice(5, 16).replace("T", " ") : d.toISOString().slice(11, 16)) + " UTC";
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} style={{ width: "100%", height: "auto", maxWidth: `${width}px` }}>
        <title id={`${id}-title`}>Counts over time, from {fmt(points[0].at)} to {fmt(points[points.length - 1].at)}</title>
        <line x1={pad.left} y1={y(0)} x2={width - pad.right} y2={y(0)} stroke="#6b7280" />
        <line x1={pad.left} y1={pad.top} x2={pad.left} y2={y(0)} stroke="#6b7280" />
        <text x={pad.left - 6} y={pad.top + 10} textAnchor="end" fontSize="11" fill="#374151">{max.toLocaleString("en-US")}</text>
        <text x={pad.left - 6} y={y(0)} textAnchor="end" fontSize="11" fill="#374151">0</text>
        <text x={pad.left} y={height - 8} fontSize="11" fill="#374151">{fmt(points[0].at)}</text>
        <text x={width - pad.right} y={height - 8} textAnchor="end" fontSize="11" fill="#374151">{fmt(points[points.length - 1].at)}</text>
        {SERIES.map((s) => (
          <polyline
            key={s.key}
            fill="none"
            stroke={s.color}
            strokeWidth="2"
            strokeDasharray={s.dash}
            points={points.map((p) => `${x(p.at.getTime()).toFixed(1)},${y(p.counts[s.key] ?? 0).toFixed(1)}`).join(" ")}
          />
        ))}
      </svg>
      <figcaption>
        <ul style={{ display: "flex", flexWrap: "wrap", gap: "0.25rem 1rem", listStyle: "none", padding: 0 }}>
          {SERIES.map((s) => (
            <li key={s.key}>
              <svg width="24" height="8" aria-hidden="true"><line x1="0" y1="4" x2="24" y2="4" stroke={s.color} strokeWidth="3" strokeDasharray={s.dash} /></svg>{" "}
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
