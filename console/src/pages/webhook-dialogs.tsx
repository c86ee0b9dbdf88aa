import { useState } from 'preact/hooks';
import { api, ApiFailure } from '../api.js';
import { EVENT_TYPES, type EventType, type TestResult, type Webhook } from '../types.js';
import { Badge, Copyable, Dialog, ErrorBox } from '../ui.js';

/** A new secret, shown once: the API never returns it again. */
export function SecretDialog({ title, secret, whsec, note, onClose }: { title: string; secret: string; whsec: string; note?: string; onClose: () => void }) {
  return (
    <Dialog title={title} onClose={onClose}>
      <p>Save this secret now: it is shown only once and cannot be read again.</p>
      <label>Signing secret (X-Rift-Signature)</label>
      <Copyable value={secret} label="signing secret" />
      <label>Standard Webhooks form</label>
      <Copyable value={whsec} label="Standard Webhooks secret" />
      {note && <p class="small muted">{note}</p>}
      <div class="actions">
        <button type="button" class="btn btn-primary" onClick={onClose} autoFocus>
          I have saved it
        </button>
      </div>
    </Dialog>
  );
}

export function RotateDialog({
  webhook,
  onRotated,
  onClose,
}: {
  webhook: Webhook;
  onRotated: (r: { secret: string; standard_webhooks_secret: string; rotation_ends_at: string | null }) => void;
  onClose: () => void;
}) {
  const [overlap, setOverlap] = useState('86400');
  const [error, setError] = useState<string>();
  const rotate = async (e: Event) => {
    e.preventDefault();
    try {
      onRotated(await api('POST', `/v1/webhooks/${webhook.id}/rotate-secret`, { overlap_seconds: Number(overlap) }));
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err));
    }
  };
  return (
    <Dialog title="Rotate the signing secret" onClose={onClose}>
      <form onSubmit={rotate}>
        <p>During the overlap both secrets sign each delivery, so your receiver can switch without failing any.</p>
        <label for="overlap">Overlap</label>
        <select id="overlap" value={overlap} onChange={(e) => setOverlap(e.currentTarget.value)}>
          <option value="0">None: switch now</option>
          <option value="3600">1 hour</option>
          <option value="86400">24 hours</option>
          <option value="604800">7 days</option>
        </select>
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit" class="btn btn-primary">
            Rotate
          </button>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function TestDialog({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const [event, setEvent] = useState<EventType>(webhook.events[0] ?? 'click');
  const [result, setResult] = useState<TestResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const send = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api<TestResult>('POST', `/v1/webhooks/${webhook.id}/test`, { event }));
    } catch (err) {
      setResult(undefined);
      setError(err instanceof ApiFailure ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Send a test event" onClose={onClose}>
      <form onSubmit={send}>
        <p class="small muted">An example event, signed like a real one, with the header X-Rift-Test: true. Not retried.</p>
        <label for="test-event">Event type</label>
        <select id="test-event" value={event} onChange={(e) => setEvent(e.currentTarget.value as EventType)}>
          {EVENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send'}
          </button>
          <button type="button" class="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      <div class="test-result" aria-live="polite">
        {result && (
          <>
            <p>
              {result.succeeded ? <Badge kind="ok">Delivered</Badge> : <Badge kind="bad">Failed</Badge>}{' '}
              {result.status_code !== null ? `HTTP ${result.status_code}` : result.error} in {result.duration_ms} ms
            </p>
            {result.response_body !== null && <pre class="code">{result.response_body || '(empty body)'}</pre>}
          </>
        )}
      </div>
    </Dialog>
  );
}

export function ConfirmDialog({
  title,
  body,
  action,
  onConfirm,
  onClose,
}: {
  title: string;
  body: string;
  action: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [error, setError] = useState<string>();
  return (
    <Dialog title={title} onClose={onClose}>
      <p>{body}</p>
      <ErrorBox error={error} />
      <div class="actions">
        <button
          type="button"
          class="btn btn-danger"
          onClick={() => onConfirm().catch((err: unknown) => setError(err instanceof ApiFailure ? err.message : String(err)))}
        >
          {action}
        </button>
        <button type="button" class="btn" onClick={onClose} autoFocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
