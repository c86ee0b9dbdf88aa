import type { DurableSender } from '../kafka/durable-sender.js';
import type { Topics } from '../kafka/topics.js';
import type { Metrics } from '../ops/metrics.js';
import type { OperationalEvent } from '../contracts/operational-event.js';

export type { OperationalEvent };

/** Produces an operational event (acks=all, retried until Kafka takes it) and counts it. */
export async function emitOperational(kafka: DurableSender, topics: Topics, metrics: Metrics, e: Omit<OperationalEvent, 'at'>): Promise<void> {
  const event: OperationalEvent = { ...e, at: new Date().toISOString() };
  metrics.operationalEvents.inc({ type: e.type });
  await kafka.sendDurably(topics.operational, { key: e.webhook_id, value: JSON.stringify(event), headers: { 'rift-operational-type': e.type } });
}
