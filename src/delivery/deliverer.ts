import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { KafkaService } from '../kafka/kafka.service.js';
import { Topics } from '../kafka/topics.js';
import { Metrics } from '../ops/metrics.js';
import type { Subscription } from '../webhooks/webhook-directory.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { DeliveryJob } from './delivery-job.js';
import { HttpSender, type SendResult } from './http-sender.js';
import { sign } from './signature.js';

export const USER_AGENT = 'Rift-Webhooks/0.1 (+https://riftl.ink)';

/**
 * Makes one attempt of a delivery and hands the outcome on: done on a 2xx, else the job goes to the
 * retry tier of its next attempt, or to the DLQ after the last. The returned promise settles only
 * once that hand-off is acknowledged by Kafka (acks=all), which is when its offset may be committed.
 */
@Injectable()
export class Deliverer {
  private readonly logger = new Logger('Delivery');
  readonly gate: ConcurrencyGate;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly http: HttpSender,
    private readonly kafka: KafkaService,
    private readonly topics: Topics,
    private readonly metrics: Metrics,
  ) {
    const d = config.delivery;
    this.gate = new ConcurrencyGate(d.maxInFlight, d.maxInFlightPerWebhook, d.maxQueuedPerWebhook, d.maxQueueWaitMs);
    metrics.trackInFlight(() => this.gate.inFlight());
  }

  async attempt(job: DeliveryJob, webhook: Subscription): Promise<void> {
    const attempt = job.attempts + 1;
    const startedAt = new Date();
    const release = await this.gate.acquire(webhook.id);
    let result: SendResult;
    if (!release) {
      result = { ok: false, error: 'endpoint_saturated', durationMs: Date.now() - startedAt.getTime() };
    } else {
      try {
        const body = Buffer.from(job.body, 'utf8');
        result = await this.http.post(webhook.url, body, {
          'Content-Type': 'application/json',
          'User-Agent': USER_AGENT,
          'X-Rift-Signature': sign(body, webhook.signingKey),
          'X-Rift-Event': job.event_type,
          'X-Rift-Event-Id': job.event_id,
          'X-Rift-Attempt': String(attempt),
        });
      } finally {
        release();
      }
    }
    const record = { attempt, at: startedAt.toISOString(), duration_ms: result.durationMs, status: result.status, error: result.error };
    const tierName = attempt === 1 ? 'first' : (this.topics.tierFor(attempt)?.label ?? 'unknown');
    const outcome = result.ok ? 'ok' : 'failed';
    this.metrics.attempts.inc({ event_type: job.event_type, tier: tierName, result: outcome });
    this.metrics.attemptSeconds.observe({ event_type: job.event_type, result: outcome }, result.durationMs / 1000);
    const line = { msg: 'delivery attempt', webhook_id: webhook.id, event_id: job.event_id, event_type: job.event_type, ...record, ok: result.ok };
    if (result.ok) {
      this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'delivered' });
      this.logger.debug(line);
      return;
    }
    this.logger.warn(line);
    const next: DeliveryJob = { ...job, attempts: attempt, history: [...job.history, record] };
    const tier = this.topics.tierFor(attempt + 1);
    if (tier) {
      next.due_at = Date.now() + tier.delayMs;
      await this.kafka.sendDurably(tier.topic, { key: webhook.id, value: JSON.stringify(next) });
      this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'retried' });
    } else {
      await this.kafka.sendDurably(this.topics.dlq, {
        key: webhook.id,
        value: JSON.stringify({ ...next, dead_at: new Date().toISOString(), last_error: result.error }),
        headers: { 'rift-webhook-id': webhook.id, 'rift-event-id': job.event_id, 'rift-last-error': result.error ?? 'unknown' },
      });
      this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'dead_lettered' });
      this.metrics.deadLettered.inc({ event_type: job.event_type });
      this.logger.warn({ msg: 'delivery dead-lettered', webhook_id: webhook.id, event_id: job.event_id, attempts: attempt, last_error: result.error });
    }
  }
}
