import type { ComponentChildren } from 'preact';
import { useApi } from '../hooks.js';
import type { Webhook } from '../types.js';

/** The webhook's URL and the tabs of its pages; "not found" for an id that is not this tenant's. */
export function WebhookHeader({ webhookId, tab, children }: { webhookId: string; tab: 'deliveries' | 'dead-letters' | 'event'; children?: ComponentChildren }) {
  const list = useApi<Webhook[]>('/v1/webhooks');
  const w = list.data?.find((x) => x.id === webhookId);
  return (
    <header class="page-head">
      <p class="crumbs">
        <a href="#/webhooks">Webhooks</a> /
      </p>
      <h1 class="webhook-title">{w ? w.url : list.data ? 'Unknown webhook' : '\u00a0'}</h1>
      <nav class="tabs" aria-label="Webhook pages">
        <a href={`#/webhooks/${webhookId}`} aria-current={tab === 'deliveries' ? 'page' : undefined}>
          Deliveries
        </a>
        <a href={`#/webhooks/${webhookId}/dead-letters`} aria-current={tab === 'dead-letters' ? 'page' : undefined}>
          Dead letters & recovery
        </a>
      </nav>
      {children}
    </header>
  );
}
