import { useState } from 'preact/hooks';
import { api, ApiFailure } from '../api.js';
import { localInputToIso, when } from '../format.js';
import { useApi } from '../hooks.js';
import type { Attempt, Page } from '../types.js';
import { Badge, Empty, ErrorBox, Placeholder } from '../ui.js';
import { WebhookHeader } from './webhook-header.js';

interface Recovery {
  recover_id: string;
  status?: 'running' | 'done';
  matched: number;
  skipped_in_flight: number;
  queued?: number;
  sent?: number;
  delivered?: number;
  failed?: number;
}

/** Deliveries that used up every retry, a retry for each, and recovery of a whole time range. */
export function DeadLettersPage({ webhookId }: { webhookId: string }) {
  const page = useApi<Page<Attempt>>(`/v1/webhooks/${webhookId}/dead-letters?limit=100`, 5000);
  const [message, setMessage] = useState<{ ok?: string; error?: string }>({});
  const retry = async (eventId: string) => {
    try {
      await api('POST', `/v1/webhooks/${webhookId}/deliveries/${eventId}/retry`);
      setMessage({ ok: `Event ${eventId} queued for delivery again.` });
    } catch (err) {
      setMessage({ error: err instanceof ApiFailure ? err.message : String(err) });
    }
  };
  if (page.error?.status === 404) {
    return (
      <section>
        <WebhookHeader webhookId={webhookId} tab="dead-letters" />
        <Empty title="Webhook not found.">
          It does not exist or belongs to another account. <a href="#/webhooks">Back to your webhooks</a>
        </Empty>
      </section>
    );
  }
  return (
    <section>
      <WebhookHeader webhookId={webhookId} tab="dead-letters" />
      <div aria-live="polite">
        {message.ok && <div class="alert alert-ok">{message.ok}</div>}
        <ErrorBox error={message.error} />
      </div>
      <ErrorBox error={page.error} />
      {!page.data && !page.error && <Placeholder rows={4} />}
      {page.data && page.data.data.length === 0 && (
        <Empty title="No dead letters.">Deliveries that fail every retry appear here, ready to retry once your endpoint is fixed.</Empty>
      )}
      {page.data && page.data.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Dead since</th>
                <th scope="col">Event</th>
                <th scope="col">Last answer</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.data.map((d) => (
                <tr key={d.attempt_id}>
                  <td class="nowrap">{when(d.at)}</td>
                  <td>
                    <a href={`#/webhooks/${webhookId}/events/${d.event_id}`}>{d.event_type}</a>
                  </td>
                  <td>
                    {d.status_code !== null ? `HTTP ${d.status_code}` : d.error} after {d.attempt} attempts
                  </td>
                  <td>{d.delivered_at ? <Badge kind="ok">delivered {when(d.delivered_at)}</Badge> : <Badge kind="bad">undelivered</Badge>}</td>
                  <td>
                    {!d.delivered_at && (
                      <button type="button" class="btn btn-small" onClick={() => retry(d.event_id)}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RecoverForm webhookId={webhookId} />
    </section>
  );
}

function RecoverForm({ webhookId }: { webhookId: string }) {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [error, setError] = useState<string>();
  const [started, setStarted] = useState<Recovery>();
  const progress = useApi<Recovery>(started ? `/v1/webhooks/${webhookId}/recover/${started.recover_id}` : null, 2000);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const s = localInputToIso(since);
    if (!s) return setError('Choose when the outage started.');
    try {
      setStarted(await api<Recovery>('POST', `/v1/webhooks/${webhookId}/recover`, { since: s, until: localInputToIso(until) }));
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err));
    }
  };
  const p = progress.data ?? started;
  return (
    <form class="card" onSubmit={submit}>
      <h2>Recover a time range</h2>
      <p class="small muted">After an outage: sends again every event of the range that never reached this endpoint (at most 7 days at once).</p>
      <div class="filters">
        <label>
          From
          <input type="datetime-local" required value={since} onChange={(e) => setSince(e.currentTarget.value)} />
        </label>
        <label>
          Until (default: now)
          <input type="datetime-local" value={until} onChange={(e) => setUntil(e.currentTarget.value)} />
        </label>
      </div>
      <ErrorBox error={error} />
      <button type="submit" class="btn btn-primary">
        Recover
      </button>
      {p && (
        <p aria-live="polite">
          Recovery {p.status ?? 'started'}: {p.matched} events matched, {p.skipped_in_flight} still in flight
          {p.delivered !== undefined && `, ${p.delivered} delivered, ${p.failed} failed, ${(p.queued ?? 0) + (p.sent ?? 0)} pending`}.
        </p>
      )}
    </form>
  );
}
