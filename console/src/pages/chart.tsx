import { count } from '../format.js';
import type { SeriesPoint } from '../types.js';

export type Metric = 'clicks' | 'attributions' | 'conversions';

const W = 640;
const H = 200;
const PAD = { top: 12, right: 8, bottom: 24, left: 40 };

/** Bars of one metric over time, as SVG (no chart library: one kind of chart, drawn in 40 lines). */
export function BarChart({ points, metric, interval }: { points: SeriesPoint[]; metric: Metric; interval: 'hour' | 'day' }) {
  const max = Math.max(1, ...points.map((p) => p[metric]));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / Math.max(1, points.length);
  const bar = Math.max(1, step * 0.7);
  const fmt = new Intl.DateTimeFormat(undefined, interval === 'day' ? { month: 'short', day: 'numeric' } : { hour: '2-digit', minute: '2-digit' });
  const ticks = points.length > 1 ? [0, Math.floor((points.length - 1) / 2), points.length - 1] : [0];
  const total = points.reduce((s, p) => s + p[metric], 0);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${metric} per ${interval}: ${count(total)} in total, at most ${count(max)} in one ${interval}`}>
      <line x1={PAD.left} y1={PAD.top + innerH} x2={W - PAD.right} y2={PAD.top + innerH} class="axis" />
      <text x={PAD.left - 6} y={PAD.top + 4} class="tick" text-anchor="end">{count(max)}</text>
      <text x={PAD.left - 6} y={PAD.top + innerH} class="tick" text-anchor="end">0</text>
      {points.map((p, i) => {
        const h = (p[metric] / max) * innerH;
        return (
          <rect key={p.at} x={PAD.left + i * step + (step - bar) / 2} y={PAD.top + innerH - h} width={bar} height={h} class={`bar bar-${metric}`}>
            <title>{`${fmt.format(new Date(p.at))}: ${count(p[metric])} ${metric}`}</title>
          </rect>
        );
      })}
      {points.length > 0 &&
        ticks.map((i) => (
          <text key={i} x={PAD.left + i * step + step / 2} y={H - 6} class="tick" text-anchor={i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'}>
            {fmt.format(new Date(points[i]!.at))}
          </text>
        ))}
    </svg>
  );
}
