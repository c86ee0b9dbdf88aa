import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DurableSender } from '../kafka/durable-sender.js';
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

/**
 * Failures that say nothing about the endpoint's capacity (the dispatcher refused to send): they do
 * not lower its concurrency cap. Every other failure without an HTTP status (timeout, refused or
 * reset connection, DNS, TLS) does.
 */
const POLICY_ERRORS = new Set(['unsafe_target', 'not_https', 'invalid_url']);

/**
 * An attempt with no answer after this long marks its webhook stalled: over its cap, further attempts
 * are parked at once instead of waiting in memory (where they hold admission slots). Measured: without
 * it, 10% of webhooks hanging until the 10 s timeout cut healthy throughput to 0.72x (quick bench).
 */
const STALLED_ATTEMPT_MS = 2_000;

/**
 * Parks of an attempt to an unreachable webhook (timeouts, refused connections) before the wait counts
 * as a failed attempt: the long saturation wait is for endpoints that answer, and a hanging one's
 * backlog should walk its retry schedule, not cycle through the tiers for an hour.
 */
const MAX_UNREACHABLE_PARKS = 5;

/**
 * Makes one attempt of a delivery and hands the outcome on: done on a 2xx, else the job goes to the
 * retry tier of its next attempt, or to the DLQ after the last. The returned promise settles only
 * once that hand-off is acknowledged by Kafka (acks=all), which is when its offset may be committed.
 */
@Injectable()
export class Deliverer {
  private readonly logger = new Logger('Delivery');
  readonly gate: ConcurrencyGate;

  private readonly maxSaturationWaitMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly http: HttpSender,
    private readonly kafka: DurableSender,
    private readonly topics: Topics,
    private readonly metrics: Metrics,
  ) {
    const d = config.delivery;
    this.maxSaturationWaitMs = d.maxSaturationWaitMs;
    this.gate = new ConcurrencyGate(d.maxInFlight, d.maxInFlightPerWebhook, d.maxQueuedPerWebhook, d.maxQueueWaitMs, d.maxInFlight * 4, Math.min(4, d.maxInFlightPerWebhook), d.timeoutMs);
    metrics.trackInFlight(() => this.gate.inFlight());
  }

  async attempt(job: DeliveryJob, webhook: Subscription): Promise<void> {
    if (webhook.unusable) return this.deadLetterUnsent(job, webhook, webhook.unusable);
    const attempt = job.attempts + 1;
    const startedAt = new Date();
    const release = await this.gate.acquire(webhook.id);
    let result: SendResult;
    if (!release) {
      // Not an attempt: the endpoint was not contacted. The job is parked (in a retry tier, for about
      // the time a slot needs to free up) until it has waited WEBHOOK_MAX_SATURATION_WAIT_MS in all;
      // only then does the wait count as a failed attempt.
      const since = job.saturated_since ?? startedAt.getTime();
      const waited = startedAt.getTime() - since;
      const mayWait = this.gate.isUnreachable(webhook.id) ? (job.deferrals ?? 0) < MAX_UNREACHABLE_PARKS : waited < this.maxSaturationWaitMs;
      if (mayWait && (await this.park(job, webhook, since))) return;
      result = { ok: false, error: 'endpoint_saturated', durationMs: 0 };
    } else {
      const stalled = setTimeout(() => this.gate.markStalled(webhook.id), STALLED_ATTEMPT_MS);
      try {
        const body = Buffer.from(job.body, 'utf8');
        // X-Rift-Attempt: requests actually sent, this one included (a parked wait that counted as an attempt sent none).
        const keys = { signingKey: webhook.signingKey!, nextSigningKey: webhook.nextSigningKey };
        result = await this.http.post(webhook.url, body, deliveryHeaders(keys, { eventId: job.event_id, eventType: job.event_type, attempt: (job.sent ?? job.attempts) + 1, body }));
      } finally {
        clearTimeout(stalled);
        if (result! && result.status !== undefined) this.gate.markAnswered(webhook.id, result.durationMs);
        else if (!result! || !POLICY_ERRORS.has(result.error ?? '')) this.gate.markFailing(webhook.id, result! ? result.durationMs : undefined);
        release();
      }
    }
    // Sent: the endpoint answered, or the request may have reached it (a timeout or a reset after
    // connecting). DNS failures, refused connections and policy refusals sent nothing.
    const reached = !!release && (result.status !== undefined || result.error === 'timeout' || result.error === 'econnreset' || result.error === 'epipe');
    const sent = (job.sent ?? job.attempts) + (reached ? 1 : 0);
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
    const next: DeliveryJob = { ...job, attempts: attempt, sent, deferrals: 0, saturated_since: undefined, history: [...job.history, history] };
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
   * Parks the job for the same attempt: into the first tier whose delay covers the webhook's
   * expected wait (capped at the last tier; tiers are FIFO with one delay each, so a job never sits
   * at a partition's head longer than that tier's own delay), due after that delay. False when
   * there is no tier (a schedule with a single attempt).
   */
  private async park(job: DeliveryJob, webhook: Subscription, since: number): Promise<boolean> {
    const tiers = this.topics.tiers;
    if (tiers.length === 0) return false;
    const wait = this.gate.parkDelay(webhook.id, Date.now(), 0, (job.deferrals ?? 0) === 0);
    const tier = tiers.find((t) => t.delayMs >= wait) ?? tiers[tiers.length - 1]!;
    const deferrals = (job.deferrals ?? 0) + 1;
    this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'deferred' });
    if (deferrals === 1) this.logger.warn({ msg: 'delivery waits for its webhook (at its concurrency cap)', webhook_id: webhook.id, event_id: job.event_id, attempt: job.attempts + 1, parked_ms: tier.delayMs });
    const next: DeliveryJob = { ...job, deferrals, saturated_since: since, due_at: Date.now() + tier.delayMs };
    await this.kafka.sendDurably(tier.topic, { key: webhook.id, value: JSON.stringify(next) });
    return true;
  }

  /** A delivery that cannot be sent at all (its secret does not open): to the DLQ at once, with the reason. */
  private async deadLetterUnsent(job: DeliveryJob, webhook: Subscription, reason: string): Promise<void> {
    this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'dead_lettered' });
    this.metrics.deadLettered.inc({ event_type: job.event_type });
    this.logger.error({ msg: 'delivery cannot be sent; dead-lettered', reason, webhook_id: webhook.id, event_id: job.event_id });
    await sendToDlq(this.kafka, this.topics, this.metrics, job, reason);
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
