import { useState } from 'preact/hooks';
import { qs } from '../api.js';
import { count, money, when } from '../format.js';
import { useApi } from '../hooks.js';
import type { LinkStats, Series } from '../types.js';
import { Empty, ErrorBox, Placeholder } from '../ui.js';
import { BarChart, type Metric } from './chart.js';

/** A link's totals, revenue per currency, conversions per type and a chart over time. */
export function LinkPage({ linkId }: { linkId: string }) {
  const [interval, setStep] = useState<'hour' | 'day'>('hour');
  const [metric, setMetric] = useState<Metric>('clicks');
  const id = encodeURIComponent(linkId);
  const stats = useApi<LinkStats>(`/v1/links/${id}/stats`, 5000);
  const series = useApi<Series>(`/v1/links/${id}/series${qs({ interval })}`, 5000);
  const s = stats.data;
  return (
    <section>
      <header class="page-head">
        <p class="crumbs">
          <a href="#/links">Links</a> /
        </p>
        <h1>{linkId}</h1>
      </header>
      <ErrorBox error={stats.error} />
      <dl class="totals" aria-busy={!s}>
        <Total label="Clicks" value={s && count(s.clicks)} />
        <Total label="Attributions" value={s && count(s.attributions)} />
        <Total label="Conversions" value={s && count(s.conversions)} />
        <Total
          label="Revenue"
          value={
            s &&
            (Object.keys(s.revenue).length
              ? Object.entries(s.revenue)
                  .map(([c, v]) => money(v, c))
                  .join(' · ')
              : '—')
          }
        />
      </dl>
      {s && s.clicks + s.attributions + s.conversions === 0 && (
        <Empty title="No events for this link yet.">Publish a click for it and it shows here within seconds.</Empty>
      )}
      <div class="card">
        <div class="chart-head">
          <h2>Over time</h2>
          <div class="filters">
            <label>
              Show
              <select value={metric} onChange={(e) => setMetric(e.currentTarget.value as Metric)}>
                <option value="clicks">clicks</option>
                <option value="attributions">attributions</option>
                <option value="conversions">conversions</option>
              </select>
            </label>
            <label>
              Per
              <select value={interval} onChange={(e) => setStep(e.currentTarget.value as 'hour' | 'day')}>
                <option value="hour">hour (48 h)</option>
                <option value="day">day (30 days)</option>
              </select>
            </label>
          </div>
        </div>
        <ErrorBox error={series.error} />
        <div class="chart-box">
          {series.data ? <BarChart points={series.data.points} metric={metric} interval={series.data.interval} /> : <Placeholder rows={1} />}
        </div>
      </div>
      {s && Object.keys(s.conversions_by_type).length > 0 && (
        <div class="card">
          <h2>Conversions by type</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col" class="num">
                    Count
                  </th>
                  <th scope="col">Amount</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s.conversions_by_type).map(([type, t]) => (
                  <tr key={type}>
                    <td>{type}</td>
                    <td class="num">{count(t.count)}</td>
                    <td>
                      {Object.entries(t.amount_cents)
                        .map(([c, v]) => money(v, c))
                        .join(' · ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      {s && (
        <p class="small muted">
          First event {when(s.first_event_at)} · last event {when(s.last_event_at)}
        </p>
      )}
    </section>
  );
}

function Total({ label, value }: { label: string; value: string | undefined }) {
  return (
    <div class="total">
      <dt>{label}</dt>
      <dd data-total={label.toLowerCase()}>{value ?? '\u00a0'}</dd>
    </div>
  );
}
