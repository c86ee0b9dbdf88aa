import { count } from '../format.js';
import type { SeriesPoint } from '../types.js';

export type Metric = 'clicks' | 'attributions' | 'conversions';

/**
 * Bars of one metric over time (no chart library: one kind of chart). The bars are an SVG stretched
 * to the box; the labels are HTML, so they keep their size at 375 px and at 1440 px.
 */
export function BarChart({ points, metric, interval }: { points: SeriesPoint[]; metric: Metric; interval: 'hour' | 'day' }) {
  const max = Math.max(1, ...points.map((p) => p[metric]));
  const n = Math.max(1, points.length);
  const fmt = new Intl.DateTimeFormat(
    undefined,
    interval === 'day' ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  );
  const total = points.reduce((s, p) => s + p[metric], 0);
  const label = (i: number) => (points[i] ? fmt.format(new Date(points[i]!.at)) : '');
  return (
    <figure class="chart" role="img" aria-label={`${metric} per ${interval}: ${count(total)} in total, at most ${count(max)} in one ${interval}`}>
      <div class="chart-y" aria-hidden="true">
        <span>{count(max)}</span>
        <span>0</span>
      </div>
      <svg class="chart-bars" viewBox={`0 0 ${n} 100`} preserveAspectRatio="none" aria-hidden="true">
        {points.map((p, i) => {
          const h = (p[metric] / max) * 100;
          return (
            <rect key={p.at} x={i + 0.15} y={100 - h} width={0.7} height={h} class={`bar bar-${metric}`}>
              <title>{`${fmt.format(new Date(p.at))}: ${count(p[metric])} ${metric}`}</title>
            </rect>
          );
        })}
      </svg>
      <div class="chart-x" aria-hidden="true">
        <span>{label(0)}</span>
        <span class="wide-only">{label(Math.floor((n - 1) / 2))}</span>
        <span>{label(n - 1)}</span>
      </div>
    </figure>
  );
}
