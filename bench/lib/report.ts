// The bench's outputs: a table on the terminal and a bar chart (SVG) of every
// ratio against its limit, with the issue's targets drawn in.
export type Row = {
  key: string;
  figure: string;
  measured: string;
  limit: string;
  ratio: number | null;
  target: number | null;
  note?: string;
};

export function verdict(row: Row): string {
  if (row.ratio === null) return "—";
  if (row.target === null) return "";
  return row.ratio >= row.target ? "ok" : "BELOW";
}

export function table(rows: Row[]): string {
  const header = ["figure", "measured", "limit (same run)", "ratio", "target", ""];
  const body = rows.map((r) => [
    r.figure,
    r.measured,
    r.limit,
    r.ratio === null ? "pending" : r.ratio.toFixed(2),
    r.target === null ? "" : `≥ ${r.target}`,
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  const notes = rows.filter((r) => r.note).map((r) => `  · ${r.figure}: ${r.note}`);
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...body.map(line), ...notes].join("\n");
}

const escape = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function svgChart(rows: Row[], subtitle: string): string {
  const width = 760;
  const left = 250;
  const barMax = 440; // pixels for a ratio of 1.25
  const scale = barMax / 1.25;
  const rowHeight = 34;
  const top = 64;
  const height = top + rows.length * rowHeight + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="600" fill="#111827">Reset Desk capacity: each figure against its limit, same run</text>`,
    `<text x="16" y="46" fill="#4b5563">${escape(subtitle)}</text>`,
  ];
  for (const mark of [0.5, 0.7, 1]) {
    const x = left + mark * scale;
    parts.push(
      `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${top + rows.length * rowHeight}" stroke="${mark === 1 ? "#111827" : "#9ca3af"}" stroke-dasharray="${mark === 1 ? "0" : "4 3"}"/>`,
      `<text x="${x}" y="${top + rows.length * rowHeight + 16}" text-anchor="middle" fill="#4b5563">${mark}</text>`,
    );
  }
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    parts.push(`<text x="${left - 10}" y="${y + 18}" text-anchor="end" fill="#111827">${escape(row.figure)}</text>`);
    if (row.ratio === null) {
      parts.push(`<text x="${left + 6}" y="${y + 18}" fill="#6b7280">pending (${escape(row.note ?? "not measured")})</text>`);
      return;
    }
    const ok = row.target === null || row.ratio >= row.target;
    const w = Math.max(2, Math.min(barMax, row.ratio * scale));
    parts.push(
      `<rect x="${left}" y="${y + 4}" width="${w}" height="20" rx="3" fill="${ok ? "#1e3a8a" : "#b91c1c"}"/>`,
      `<text x="${left + w + 6}" y="${y + 18}" fill="#111827">${row.ratio.toFixed(2)}${row.target !== null ? ` (target ≥ ${row.target})` : ""}</text>`,
    );
  });
  parts.push(`</svg>`);
  return parts.join("\n");
}
