import { useState } from 'preact/hooks';
import { api, ApiFailure } from '../api.js';
import { EVENT_TYPES, type EventType, type Webhook } from '../types.js';
import { ErrorBox } from '../ui.js';

export interface CreatedWebhook {
  id: string;
  secret: string;
  standard_webhooks_secret: string;
}

/** Create (no `webhook`) or edit a webhook's URL and events; the API's validation message is shown as is. */
export function WebhookForm({ webhook, onDone, onCancel }: { webhook?: Webhook; onDone: (created?: CreatedWebhook) => void; onCancel?: () => void }) {
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [events, setEvents] = useState<EventType[]>(webhook?.events ?? [...EVENT_TYPES]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const idp = webhook ? `edit-${webhook.id}` : 'new';
  const submit = async (e: Event) => {
    e.preventDefault();
    if (events.length === 0) return setError('Choose at least one event type.');
    setBusy(true);
    setError(undefined);
    try {
      if (webhook) {
        await api('PATCH', `/v1/webhooks/${webhook.id}`, { url: url.trim(), events });
        onDone();
      } else {
        onDone(await api<CreatedWebhook>('POST', '/v1/webhooks', { url: url.trim(), events }));
        setUrl('');
      }
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="webhook-form" onSubmit={submit}>
      <label for={`${idp}-url`}>Endpoint URL</label>
      <input
        id={`${idp}-url`}
        type="url"
        required
        placeholder="https://yourserver.com/rift-webhook"
        value={url}
        onInput={(e) => setUrl(e.currentTarget.value)}
      />
      <fieldset>
        <legend>Events</legend>
        {EVENT_TYPES.map((t) => (
          <label key={t} class="check">
            <input
              type="checkbox"
              checked={events.includes(t)}
              onChange={(e) => setEvents(e.currentTarget.checked ? [...events, t] : events.filter((x) => x !== t))}
            />
            {t}
          </label>
        ))}
      </fieldset>
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {webhook ? 'Save' : 'Create webhook'}
        </button>
        {onCancel && (
          <button type="button" class="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
