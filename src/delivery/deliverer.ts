import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { KafkaService } from '../kafka/kafka.service.js';
import { Topics } from '../kafka/topics.js';
import { Metrics } from '../ops/metrics.js';
import type { Subscription } from '../webhooks/webhook-directory.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { DeliveryJob } from './delivery-job.js';
import type { AttemptNext, AttemptRecord } from '../attempt-log/attempt-record.js';
import { newObjectId } from '../common/ids.js';
import { sendToDlq } from './dead-letter-writer.js';
import { deliveryHeaders } from './delivery-headers.js';
import { HttpSender, type SendResult } from './http-sender.js';
import { nextStep } from './next-step.js';

export { USER_AGENT } from './delivery-headers.js';

/** The `outcome` label of rift_deliveries_total for each attempt's next step (`none`: test sends, not counted here). */
const DELIVERY_OUTCOME: Record<AttemptNext, string> = { delivered: 'delivered', retry: 'retried', dead_letter: 'dead_lettered', none: 'test' };

/** How many times an attempt refused by the webhook's cap is put back before the refusal counts as a failed attempt. */
const MAX_DEFERRALS = 5;

/** An attempt still running after this long marks its webhook slow (see ConcurrencyGate). */
const SLOW_ATTEMPT_MS = 2_000;

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
      // Not an attempt: the endpoint was not contacted. Deferred a few times without using the
      // retry budget, so a burst to a busy webhook is delayed rather than dead-lettered.
      if (await this.defer(job, webhook, attempt)) return;
      result = { ok: false, error: 'endpoint_saturated', durationMs: Date.now() - startedAt.getTime() };
    } else {
      // Still running after 2 s: this webhook is slow, its cap drops now (not at its timeout).
      const slow = setTimeout(() => this.gate.markSlow(webhook.id), SLOW_ATTEMPT_MS);
      try {
        const body = Buffer.from(job.body, 'utf8');
        result = await this.http.post(webhook.url, body, deliveryHeaders(webhook, { eventId: job.event_id, eventType: job.event_type, attempt, body }));
      } finally {
        clearTimeout(slow);
        if (result! && result.status !== undefined && result.durationMs < SLOW_ATTEMPT_MS) this.gate.markFast(webhook.id);
        else this.gate.markSlow(webhook.id);
        release();
      }
    }
    const tier = attempt === 1 ? 'first' : (this.topics.tierFor(attempt)?.label ?? 'unknown');
    const step = nextStep(result, attempt, this.topics.tiers, Date.now());
    const entry: AttemptRecord = {
      id: newObjectId(startedAt.getTime()),
      tenant_id: job.tenant_id,
      webhook_id: webhook.id,
      event_id: job.event_id,
      event_type: job.event_type,
      attempt,
      tier,
      outcome: result.ok ? 'succeeded' : 'failed',
      status_code: result.status ?? null,
      error: result.error?.slice(0, 64) ?? null,
      next: step.kind,
      duration_ms: Math.round(result.durationMs),
      at: startedAt.toISOString(),
    };
    this.observe(entry);
    // The attempt log record and the hand-off are produced together; the offset behind this job is
    // committed only once both are acknowledged.
    const logged = this.kafka.sendDurably(this.topics.attempts, { key: webhook.id, value: JSON.stringify(entry) });
    if (result.ok) return logged;
    const history = { attempt, at: entry.at, duration_ms: result.durationMs, status: result.status, error: result.error };
    const next: DeliveryJob = { ...job, attempts: attempt, deferrals: 0, history: [...job.history, history] };
    if (step.kind === 'retry') {
      // due_at carries the jitter (and any Retry-After); the tier may be a later one than scheduled.
      next.due_at = step.dueAt;
      next.jitter_ms = step.jitterMs;
      if (step.retryAfterMs !== undefined && step.tier !== this.topics.tierFor(attempt + 1)) this.metrics.retryAfter.inc({ tier: step.tier.label });
      await Promise.all([logged, this.kafka.sendDurably(step.tier.topic, { key: webhook.id, value: JSON.stringify(next) })]);
    } else if (step.kind === 'dead_letter') {
      await Promise.all([logged, sendToDlq(this.kafka, this.topics, this.metrics, next, result.error ?? 'unknown')]);
    }
  }

  /**
   * Puts the job back for the same attempt number: into the tier that makes that attempt (the first
   * tier for a first attempt), due after that tier's delay. False once MAX_DEFERRALS are used up (or
   * there is no tier), when the refusal counts as a failed attempt.
   */
  private async defer(job: DeliveryJob, webhook: Subscription, attempt: number): Promise<boolean> {
    const deferrals = (job.deferrals ?? 0) + 1;
    const tier = this.topics.tierFor(Math.max(2, attempt));
    if (!tier || deferrals > MAX_DEFERRALS) return false;
    this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'deferred' });
    this.logger.warn({ msg: 'delivery deferred', reason: 'endpoint_saturated', webhook_id: webhook.id, event_id: job.event_id, attempt, deferrals });
    const next: DeliveryJob = { ...job, deferrals, due_at: Date.now() + tier.delayMs };
    await this.kafka.sendDurably(tier.topic, { key: webhook.id, value: JSON.stringify(next) });
    return true;
  }

  /** Metrics and the attempt's log line (one per attempt, the attempt log's fields). */
  private observe(entry: AttemptRecord): void {
    const { event_type, outcome } = entry;
    const result = outcome === 'succeeded' ? 'ok' : 'failed';
    this.metrics.attempts.inc({ event_type, tier: entry.tier, result });
    this.metrics.attemptSeconds.observe({ event_type, result }, entry.duration_ms / 1000);
    this.metrics.deliveries.inc({ event_type, outcome: DELIVERY_OUTCOME[entry.next] });
    if (entry.next === 'dead_letter') this.metrics.deadLettered.inc({ event_type });
    const { id: attempt_id, ...fields } = entry;
    const line = { msg: 'delivery attempt', attempt_id, ...fields };
    if (entry.outcome === 'succeeded') this.logger.log(line);
    else this.logger.warn(line);
  }
}
