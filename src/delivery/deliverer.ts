import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DurableSender } from '../kafka/durable-sender.js';
import { Topics } from '../kafka/topics.js';
import { Metrics } from '../ops/metrics.js';
import { AttemptLogWriter } from '../attempt-log/attempt-log-writer.js';
import type { Subscription } from '../webhooks/webhook-directory.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { DeliveryJob } from '../contracts/delivery-job.js';
import type { AttemptNext, AttemptRecord } from '../contracts/attempt-record.js';
import { newObjectId } from '../common/ids.js';
import type { FailureClass } from '../contracts/failure.js';
import { sendToDlq } from './dead-letter-writer.js';
import { deliveryHeaders } from './delivery-headers.js';
import { HttpSender } from './http-sender.js';
import { ADMITTED_PER_SLOT, MAX_UNREACHABLE_PARKS, MIN_CAP_PER_WEBHOOK, STALLED_ATTEMPT_MS } from './tuning.js';
import { decideAfterAttempt, lowersCapacity, mayPark, parkIn, SATURATED, type AttemptDecision, type AttemptResult } from './attempt-decision.js';

/** The `outcome` label of rift_deliveries_total for each attempt's next step (`none`: test sends, not counted here). */
const DELIVERY_OUTCOME: Record<AttemptNext, string> = { delivered: 'delivered', retry: 'retried', dead_letter: 'dead_lettered', none: 'test' };

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
    private readonly attemptLog: AttemptLogWriter,
  ) {
    const d = config.delivery;
    this.maxSaturationWaitMs = d.maxSaturationWaitMs;
    this.gate = new ConcurrencyGate(
      d.maxInFlight,
      d.maxInFlightPerWebhook,
      d.maxQueuedPerWebhook,
      d.maxQueueWaitMs,
      d.maxInFlight * ADMITTED_PER_SLOT,
      Math.min(MIN_CAP_PER_WEBHOOK, d.maxInFlightPerWebhook),
      d.timeoutMs,
    );
    metrics.trackInFlight(() => this.gate.inFlight());
  }

  async attempt(job: DeliveryJob, webhook: Subscription): Promise<void> {
    if (webhook.unusable) return this.deadLetterUnsent(job, webhook, webhook.unusable);
    const startedAt = Date.now();
    const release = await this.gate.acquire(webhook.id);
    let result: AttemptResult;
    if (!release) {
      // Not an attempt: the endpoint was not contacted. The job is parked (in a retry tier, for about
      // the time a slot needs to free up) until it may wait no longer; only then does the wait count
      // as a failed attempt.
      const unreachable = this.gate.isUnreachable(webhook.id);
      const facts = { job, now: startedAt, unreachable, maxSaturationWaitMs: this.maxSaturationWaitMs, maxUnreachableParks: MAX_UNREACHABLE_PARKS };
      if (mayPark(facts) && (await this.park(job, webhook, startedAt))) return;
      result = SATURATED;
    } else {
      result = await this.send(job, webhook, release);
    }
    const decision = decideAfterAttempt({
      job,
      webhookId: webhook.id,
      result,
      tiers: this.topics.tiers,
      startedAt,
      now: Date.now(),
      recordId: newObjectId(startedAt),
    });
    this.observe(decision.record);
    await this.handOff(decision);
  }

  /** One request, holding the webhook's slot; the gate learns from the outcome. */
  private async send(job: DeliveryJob, webhook: Subscription, release: () => void): Promise<AttemptResult> {
    const stalled = { afterMs: STALLED_ATTEMPT_MS, call: () => this.gate.markStalled(webhook.id) };
    let result: AttemptResult | undefined;
    try {
      const body = Buffer.from(job.body, 'utf8');
      // X-Rift-Attempt: requests actually sent, this one included (a parked wait that counted as an attempt sent none).
      const keys = { signingKey: webhook.signingKey!, nextSigningKey: webhook.nextSigningKey };
      const headers = deliveryHeaders(keys, { eventId: job.event_id, eventType: job.event_type, attempt: (job.sent ?? job.attempts) + 1, body });
      result = { ...(await this.http.post(webhook.url, body, headers, stalled)), sent: true };
      return result;
    } finally {
      if (result?.status !== undefined) this.gate.markAnswered(webhook.id, result.durationMs);
      else if (!result || lowersCapacity(result)) this.gate.markFailing(webhook.id, result?.durationMs);
      release();
    }
  }

  /**
   * The attempt log record (AttemptLogWriter: stored, or handed to the attempts topic while the
   * database fails) and the hand-off (next tier or DLQ) go together; the offset behind this job is
   * committed only once both are safe.
   */
  private async handOff(decision: AttemptDecision): Promise<void> {
    const { record, step } = decision; // `next` is read only where it goes somewhere (it is built on first read)
    const logged = this.attemptLog.record(record);
    if (step.kind === 'retry') {
      if (step.retryAfterMs !== undefined && step.tier !== this.topics.tierFor(record.attempt + 1)) this.metrics.retryAfter.inc({ tier: step.tier.label });
      await Promise.all([logged, this.kafka.sendDurably(step.tier.topic, { key: record.webhook_id, value: JSON.stringify(decision.next) })]);
    } else if (step.kind === 'dead_letter') {
      await Promise.all([logged, sendToDlq(this.kafka, this.topics, this.metrics, decision.next, decision.lastError!)]);
    } else {
      await logged;
    }
  }

  /** Parks the job for the same attempt (see parkIn). False when there is no tier (a schedule with a single attempt). */
  private async park(job: DeliveryJob, webhook: Subscription, startedAt: number): Promise<boolean> {
    if (this.topics.tiers.length === 0) return false;
    const now = Date.now();
    const parked = parkIn(job, this.topics.tiers, this.gate.parkDelay(webhook.id, now, 0, (job.deferrals ?? 0) === 0), now, startedAt)!;
    this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'deferred' });
    if (parked.job.deferrals === 1)
      this.logger.warn({
        msg: 'delivery waits for its webhook (at its concurrency cap)',
        webhook_id: webhook.id,
        event_id: job.event_id,
        attempt: job.attempts + 1,
        parked_ms: parked.tier.delayMs,
      });
    await this.kafka.sendDurably(parked.tier.topic, { key: webhook.id, value: JSON.stringify(parked.job) });
    return true;
  }

  /** A delivery that cannot be sent at all (its secret does not open): to the DLQ at once, with the reason. */
  private async deadLetterUnsent(job: DeliveryJob, webhook: Subscription, reason: FailureClass): Promise<void> {
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
