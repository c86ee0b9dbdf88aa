import type { DurableSender } from '../kafka/durable-sender.js';
import type { Topics } from '../kafka/topics.js';
import type { Metrics } from '../ops/metrics.js';

/**
 * One message on `<prefix>.webhooks.operational` (key: the webhook id), for operators' alerting:
 * - `webhook.disabled` {reason: "gone" (a 410), "failing" (WEBHOOK_DISABLE_AFTER_HOURS of nothing but failures), "manual"}
 * - `webhook.enabled` (PATCH {"enabled": true})
 * - `delivery.dead_lettered` {event_id, event_type, attempts, reason}
 */
export interface OperationalEvent {
  type: 'webhook.disabled' | 'webhook.enabled' | 'delivery.dead_lettered';
  webhook_id: string;
  tenant_id: string;
  at: string;
  reason?: string;
  event_id?: string;
  event_type?: string;
  attempts?: number;
}

/** Produces an operational event (acks=all, retried until Kafka takes it) and counts it. */
export async function emitOperational(kafka: DurableSender, topics: Topics, metrics: Metrics, e: Omit<OperationalEvent, 'at'>): Promise<void> {
  const event: OperationalEvent = { ...e, at: new Date().toISOString() };
  metrics.operationalEvents.inc({ type: e.type });
  await kafka.sendDurably(topics.operational, { key: e.webhook_id, value: JSON.stringify(event), headers: { 'rift-operational-type': e.type } });
}
