import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ago, when } from '../format.js';
import { useApi } from '../hooks.js';
import type { Webhook } from '../types.js';
import { Badge, Empty, ErrorBox, Placeholder } from '../ui.js';
import { ConfirmDialog, RotateDialog, SecretDialog, TestDialog } from './webhook-dialogs.js';
import { WebhookForm } from './webhook-form.js';

type Open = { kind: 'test' | 'rotate' | 'delete' | 'edit'; webhook: Webhook } | { kind: 'secret'; title: string; secret: string; whsec: string; note?: string };

/** The tenant's webhooks with their health, and everything one can do to them. */
export function WebhooksPage() {
  const list = useApi<Webhook[]>('/v1/webhooks', 5000);
  const [open, setOpen] = useState<Open>();
  const [actionError, setActionError] = useState<string>();
  const close = () => setOpen(undefined);
  const patch = (w: Webhook, body: unknown) => api('PATCH', `/v1/webhooks/${w.id}`, body).then(list.reload, (err: Error) => setActionError(err.message));
  return (
    <section>
      <h1>Webhooks</h1>
      <ErrorBox error={list.error} />
      <ErrorBox error={actionError} />
      {!list.data && !list.error && <Placeholder rows={4} />}
      {list.data && list.data.length === 0 && (
        <Empty title="No webhooks yet.">
          Add your endpoint below: Rift will POST click, attribution and conversion events to it, signed with a secret you receive once.
        </Empty>
      )}
      <ul class="cards">
        {list.data?.map((w) =>
          open?.kind === 'edit' && open.webhook.id === w.id ? (
            <li key={w.id} class="card">
              <WebhookForm webhook={w} onDone={() => (close(), list.reload())} onCancel={close} />
            </li>
          ) : (
            <li key={w.id} class="card webhook" data-webhook-id={w.id}>
              <div class="webhook-head">
                <a class="webhook-url" href={`#/webhooks/${w.id}`}>
                  {w.url}
                </a>
                <Status w={w} />
              </div>
              <p class="small muted">
                {w.events.join(' · ')} — created {when(w.created_at)}
              </p>
              <dl class="health">
                <div>
                  <dt>Last success</dt>
                  <dd>{ago(w.health.last_success_at)}</dd>
                </div>
                <div>
                  <dt>Last failure</dt>
                  <dd>{ago(w.health.last_failure_at)}</dd>
                </div>
                <div>
                  <dt>Failures in a row</dt>
                  <dd>{w.health.consecutive_failures}</dd>
                </div>
              </dl>
              {w.rotation_ends_at && (
                <p class="small">
                  Secret rotation in progress: the new secret takes over {when(w.rotation_ends_at)}.{' '}
                  <button
                    type="button"
                    class="btn btn-small"
                    onClick={() => api('POST', `/v1/webhooks/${w.id}/rotate-secret/complete`).then(list.reload, (e: Error) => setActionError(e.message))}
                  >
                    Finish now
                  </button>
                </p>
              )}
              <div class="actions">
                <a class="btn" href={`#/webhooks/${w.id}`}>
                  Deliveries
                </a>
                <a class="btn" href={`#/webhooks/${w.id}/dead-letters`}>
                  Dead letters
                </a>
                <button type="button" class="btn" onClick={() => setOpen({ kind: 'test', webhook: w })}>
                  Send test
                </button>
                <button type="button" class="btn" onClick={() => setOpen({ kind: 'edit', webhook: w })}>
                  Edit
                </button>
                <button type="button" class="btn" onClick={() => setOpen({ kind: 'rotate', webhook: w })}>
                  Rotate secret
                </button>
                {w.status === 'disabled' ? (
                  <button type="button" class="btn" onClick={() => patch(w, { enabled: true })}>
                    Re-enable
                  </button>
                ) : (
                  <button type="button" class="btn" onClick={() => patch(w, { enabled: false })}>
                    Disable
                  </button>
                )}
                <button type="button" class="btn btn-danger-quiet" onClick={() => setOpen({ kind: 'delete', webhook: w })}>
                  Delete
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
      <div class="card">
        <h2>Add a webhook</h2>
        <WebhookForm
          onDone={(created) => {
            list.reload();
            if (created) setOpen({ kind: 'secret', title: 'Webhook created', secret: created.secret, whsec: created.standard_webhooks_secret });
          }}
        />
      </div>
      {open?.kind === 'secret' && <SecretDialog title={open.title} secret={open.secret} whsec={open.whsec} note={open.note} onClose={close} />}
      {open?.kind === 'test' && <TestDialog webhook={open.webhook} onClose={() => (close(), list.reload())} />}
      {open?.kind === 'rotate' && (
        <RotateDialog
          webhook={open.webhook}
          onClose={close}
          onRotated={(r) => {
            list.reload();
            setOpen({
              kind: 'secret',
              title: 'New signing secret',
              secret: r.secret,
              whsec: r.standard_webhooks_secret,
              note: r.rotation_ends_at
                ? `Until ${when(r.rotation_ends_at)} deliveries carry both signatures (X-Rift-Signature-Next has the new one).`
                : 'The new secret signs every delivery from now on.',
            });
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete this webhook?"
          body={`${open.webhook.url} will get no more deliveries. Its attempt log stays until it expires.`}
          action="Delete"
          onClose={close}
          onConfirm={async () => {
            await api('DELETE', `/v1/webhooks/${open.webhook.id}`);
            close();
            list.reload();
          }}
        />
      )}
    </section>
  );
}

function Status({ w }: { w: Webhook }) {
  if (w.status === 'disabled') {
    const why = w.disabled_reason === 'gone' ? 'endpoint answered 410' : w.disabled_reason === 'failing' ? 'failing too long' : 'by you';
    return <Badge kind="bad">Disabled ({why})</Badge>;
  }
  if (w.health.consecutive_failures > 0) return <Badge kind="warn">Failing ({w.health.consecutive_failures})</Badge>;
  if (w.health.last_success_at) return <Badge kind="ok">Healthy</Badge>;
  return <Badge kind="neutral">No deliveries yet</Badge>;
}
