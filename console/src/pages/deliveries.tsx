import { useState } from 'preact/hooks';
import { api, ApiFailure, qs } from '../api.js';
import { localInputToIso } from '../format.js';
import { useApi } from '../hooks.js';
import { EVENT_TYPES, type Attempt, type Page } from '../types.js';
import { Empty, ErrorBox, Placeholder } from '../ui.js';
import { AttemptsTable } from './attempts-table.js';
import { WebhookHeader } from './webhook-header.js';

/** A webhook's attempt log, newest first, with filters; refreshed every 3 s while on the first page. */
export function DeliveriesPage({ webhookId }: { webhookId: string }) {
  const [outcome, setOutcome] = useState('');
  const [eventType, setEventType] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [older, setOlder] = useState<{ rows: Attempt[]; cursor: string | null; error?: string }>({ rows: [], cursor: null });
  const path = `/v1/webhooks/${webhookId}/deliveries${qs({ outcome, event_type: eventType, since: localInputToIso(since), until: localInputToIso(until), limit: 50 })}`;
  const page = useApi<Page<Attempt>>(path, 3000);
  const cursor = older.rows.length ? older.cursor : (page.data?.next_cursor ?? null);
  const loadOlder = async () => {
    try {
      const next = await api<Page<Attempt>>('GET', `${path}&cursor=${encodeURIComponent(cursor!)}`);
      setOlder({ rows: [...older.rows, ...next.data], cursor: next.next_cursor });
    } catch (err) {
      setOlder({ ...older, error: err instanceof ApiFailure ? err.message : String(err) });
    }
  };
  const filtered = !!(outcome || eventType || since || until);
  const notFound = page.error?.status === 404;
  const reset = () => setOlder({ rows: [], cursor: null });
  return (
    <section>
      <WebhookHeader webhookId={webhookId} tab="deliveries" />
      {notFound ? (
        <Empty title="Webhook not found.">
          It does not exist or belongs to another account. <a href="#/webhooks">Back to your webhooks</a>
        </Empty>
      ) : (
        <>
          <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter deliveries">
            <label>
              Outcome
              <select value={outcome} onChange={(e) => (reset(), setOutcome(e.currentTarget.value))}>
                <option value="">all</option>
                <option value="succeeded">succeeded</option>
                <option value="failed">failed</option>
              </select>
            </label>
            <label>
              Event type
              <select value={eventType} onChange={(e) => (reset(), setEventType(e.currentTarget.value))}>
                <option value="">all</option>
                {EVENT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <label>
              From
              <input type="datetime-local" value={since} onChange={(e) => (reset(), setSince(e.currentTarget.value))} />
            </label>
            <label>
              Until
              <input type="datetime-local" value={until} onChange={(e) => (reset(), setUntil(e.currentTarget.value))} />
            </label>
          </form>
          <ErrorBox error={page.error} />
          {!page.data && !page.error && <Placeholder rows={6} />}
          {page.data &&
            page.data.data.length === 0 &&
            (filtered ? (
              <Empty title="No deliveries match these filters.">Clear a filter or widen the time range.</Empty>
            ) : (
              <Empty title="No deliveries yet.">
                Events your producers publish appear here within seconds. Try "Send test" on the webhooks page to see one now.
              </Empty>
            ))}
          {page.data && page.data.data.length > 0 && (
            <AttemptsTable
              webhookId={webhookId}
              rows={[...page.data.data, ...older.rows.filter((o) => !page.data!.data.some((a) => a.attempt_id === o.attempt_id))]}
            />
          )}
          <ErrorBox error={older.error} />
          {cursor && (
            <button type="button" class="btn" onClick={loadOlder}>
              Load older attempts
            </button>
          )}
        </>
      )}
    </section>
  );
}
