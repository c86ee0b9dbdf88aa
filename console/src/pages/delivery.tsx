import { useState } from 'preact/hooks';
import { api, ApiFailure } from '../api.js';
import { when } from '../format.js';
import { useApi } from '../hooks.js';
import type { Attempt, Page } from '../types.js';
import { Empty, ErrorBox, Placeholder } from '../ui.js';
import { AttemptsTable } from './attempts-table.js';
import { WebhookHeader } from './webhook-header.js';

interface StoredEvent {
  event_id: string;
  event: string;
  data: Record<string, unknown>;
  stored_at: string;
}

/** One event's deliveries to one webhook: every attempt, the event as stored, and a retry button. */
export function DeliveryPage({ webhookId, eventId }: { webhookId: string; eventId: string }) {
  const attempts = useApi<Page<Attempt>>(`/v1/webhooks/${webhookId}/deliveries?event_id=${encodeURIComponent(eventId)}&limit=200`, 3000);
  const event = useApi<StoredEvent>(`/v1/events/${encodeURIComponent(eventId)}`);
  const [retry, setRetry] = useState<{ ok?: string; error?: string }>({});
  const doRetry = async () => {
    setRetry({});
    try {
      await api('POST', `/v1/webhooks/${webhookId}/deliveries/${eventId}/retry`);
      setRetry({ ok: 'Queued: the new attempts appear in the list below within seconds.' });
      attempts.reload();
    } catch (err) {
      setRetry({ error: err instanceof ApiFailure ? err.message : String(err) });
    }
  };
  const rows = attempts.data?.data ?? [];
  const last = rows[0];
  return (
    <section>
      <WebhookHeader webhookId={webhookId} tab="event" />
      {attempts.error?.status === 404 ? (
        <Empty title="Webhook not found.">
          It does not exist or belongs to another account. <a href="#/webhooks">Back to your webhooks</a>
        </Empty>
      ) : (
        <>
          <div class="detail-head">
            <h2>
              Event <code>{eventId}</code>
            </h2>
            <button type="button" class="btn btn-primary" onClick={doRetry} disabled={!event.data}>
              Retry delivery
            </button>
          </div>
          {last && (
            <p>
              Latest: <strong>{last.outcome}</strong> {last.status_code !== null ? `with HTTP ${last.status_code}` : `(${last.error})`} at {when(last.at)}
            </p>
          )}
          <div aria-live="polite">
            {retry.ok && <div class="alert alert-ok">{retry.ok}</div>}
            <ErrorBox error={retry.error} title="Retry refused" />
          </div>
          <h3>Attempts</h3>
          <ErrorBox error={attempts.error} />
          {!attempts.data && !attempts.error && <Placeholder rows={3} />}
          {attempts.data && rows.length === 0 && (
            <Empty title="No attempts of this event to this webhook.">Its first attempt may still be on its way; this list refreshes by itself.</Empty>
          )}
          {rows.length > 0 && <AttemptsTable webhookId={webhookId} rows={rows} linkEvents={false} />}
          <h3>Event data as stored</h3>
          {event.error?.status === 404 ? (
            <p class="muted">This event is not in the event store: it was a test send, or it belongs to no stored event of yours. It cannot be retried.</p>
          ) : (
            <ErrorBox error={event.error} />
          )}
          {!event.data && !event.error && <Placeholder rows={4} />}
          {event.data && (
            <>
              <p class="small muted">
                {event.data.event} event, stored {when(event.data.stored_at)}
              </p>
              <pre class="code">{JSON.stringify(event.data.data, null, 2)}</pre>
            </>
          )}
        </>
      )}
    </section>
  );
}
