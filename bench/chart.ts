// The latency distribution of scenarios 1 (throughput) and 4 (isolation, healthy webhooks) as an
// SVG: cumulative share of deliveries (y) by end-to-end latency (x, log scale).
import { writeFileSync } from 'node:fs';

const W = 760;
const H = 420;
const M = { l: 60, r: 20, t: 40, b: 50 };

export function latencyChartSvg(series: { label: string; color: string; latencies: number[] }[], title: string): string {
  // No spread into Math.min/max: a full run has ~200,000 values.
  let min = 10;
  let max = 100;
  for (const s of series) {
    for (const v of s.latencies) {
      if (v <= 0) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  const lo = Math.max(1, 10 ** Math.floor(Math.log10(min)));
  const hi = 10 ** Math.ceil(Math.log10(max));
  const x = (v: number) => M.l + ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (W - M.l - M.r);
  const y = (q: number) => H - M.b - q * (H - M.t - M.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
  ];
  for (let d = lo; d <= hi; d *= 10) {
    out.push(
      `<line x1="${x(d)}" y1="${y(0)}" x2="${x(d)}" y2="${y(1)}" stroke="#ddd"/>`,
      `<text x="${x(d)}" y="${H - M.b + 16}" text-anchor="middle">${d >= 1000 ? `${d / 1000} s` : `${d} ms`}</text>`,
    );
  }
  for (const q of [0, 0.5, 0.9, 0.99, 1]) {
    out.push(
      `<line x1="${M.l}" y1="${y(q)}" x2="${W - M.r}" y2="${y(q)}" stroke="#eee"/>`,
      `<text x="${M.l - 6}" y="${y(q) + 4}" text-anchor="end">${Math.round(q * 100)}%</text>`,
    );
  }
  out.push(`<text x="${W / 2}" y="${H - 12}" text-anchor="middle">end-to-end latency, publish to receiver (log scale)</text>`);
  series.forEach((s, i) => {
    const sorted = [...s.latencies].sort((a, b) => a - b);
    const step = Math.max(1, Math.floor(sorted.length / 400));
    const pts: string[] = [];
    for (let k = 0; k < sorted.length; k += step) pts.push(`${x(sorted[k]!).toFixed(1)},${y((k + 1) / sorted.length).toFixed(1)}`);
    if (sorted.length) pts.push(`${x(sorted.at(-1)!).toFixed(1)},${y(1).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    out.push(
      `<rect x="${M.l + 10}" y="${M.t + 8 + i * 18}" width="12" height="3" fill="${s.color}"/>`,
      `<text x="${M.l + 28}" y="${M.t + 13 + i * 18}">${s.label} (n=${sorted.length.toLocaleString('en')})</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

export function writeLatencyChart(file: string, series: { label: string; color: string; latencies: number[] }[], title: string): void {
  writeFileSync(file, `${latencyChartSvg(series, title)}\n`);
}
