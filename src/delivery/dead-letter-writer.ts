import { emitOperational } from '../endpoint-health/operational-events.js';
import type { DurableSender } from '../kafka/durable-sender.js';
import type { Topics } from '../kafka/topics.js';
import type { Metrics } from '../ops/metrics.js';
import type { DeliveryJob } from '../contracts/delivery-job.js';

/**
 * Hands a job to the DLQ with its last error (an attempt's error class, or `webhook_disabled` for a
 * job of a disabled webhook met in a tier), together with a `delivery.dead_lettered` operational
 * event. Resolves once Kafka has acknowledged both.
 */
export async function sendToDlq(kafka: DurableSender, topics: Topics, metrics: Metrics, job: DeliveryJob, lastError: string): Promise<void> {
  const dead = { ...job, dead_at: new Date().toISOString(), last_error: lastError };
  const headers = { 'rift-webhook-id': job.webhook_id, 'rift-event-id': job.event_id, 'rift-last-error': lastError };
  await Promise.all([
    kafka.sendDurably(topics.dlq, { key: job.webhook_id, value: JSON.stringify(dead), headers }),
    emitOperational(kafka, topics, metrics, {
      type: 'delivery.dead_lettered',
      webhook_id: job.webhook_id,
      tenant_id: job.tenant_id,
      event_id: job.event_id,
      event_type: job.event_type,
      attempts: job.attempts,
      reason: lastError,
    }),
  ]);
}
