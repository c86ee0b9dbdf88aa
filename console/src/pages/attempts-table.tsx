import { when } from '../format.js';
import type { Attempt } from '../types.js';
import { Badge } from '../ui.js';

const NEXT: Record<string, string> = { delivered: 'done', retry: 'retried later', dead_letter: 'dead letter', none: '—' };

/** Attempts, newest first: what was sent, what came back, and what happened next. */
export function AttemptsTable({ webhookId, rows, linkEvents = true }: { webhookId: string; rows: Attempt[]; linkEvents?: boolean }) {
  return (
    <div class="table-wrap">
      <table class="attempts">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Outcome</th>
            <th scope="col">Status</th>
            <th scope="col" class="wide-only">
              Attempt
            </th>
            <th scope="col" class="wide-only">
              Duration
            </th>
            <th scope="col" class="wide-only">
              Next
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.attempt_id} data-event-id={a.event_id} data-outcome={a.outcome}>
              <td class="nowrap">{when(a.at)}</td>
              <td>
                {linkEvents ? <a href={`#/webhooks/${webhookId}/events/${a.event_id}`}>{a.event_type}</a> : a.event_type}
                {a.tier === 'test' && <span class="muted small"> (test)</span>}
              </td>
              <td>{a.outcome === 'succeeded' ? <Badge kind="ok">succeeded</Badge> : <Badge kind="bad">failed</Badge>}</td>
              <td class="status-cell">{a.status_code ?? <span class="error-class">{a.error ?? '—'}</span>}</td>
              <td class="wide-only">
                #{a.attempt} <span class="muted small">{a.tier}</span>
              </td>
              <td class="wide-only num">{a.duration_ms} ms</td>
              <td class="wide-only">{NEXT[a.next] ?? a.next}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
