import { Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { untilSuccess } from '../common/backoff.js';
import { DurableSender } from '../kafka/durable-sender.js';
import { Topics } from '../kafka/topics.js';
import type { Admission, MessageHandler } from '../kafka/tracked-consumer.js';
import { Metrics } from '../ops/metrics.js';
import { WebhookDirectory } from '../webhooks/webhook-directory.js';
import { sendToDlq } from './dead-letter-writer.js';
import { Deliverer } from './deliverer.js';
import { parseDeliveryJob } from '../contracts/delivery-job.js';
import { InvalidEvents } from './invalid-events.js';
import { JITTER_SHARE, TIER_LOOKAHEAD_MS } from './tuning.js';

/**
 * Retry tier topics: a job whose time has not come pauses its partition until it is (almost) due
 * (the consumer resumes it then); a due job makes its next attempt, unless its webhook was deleted
 * (dropped) or disabled (to the DLQ with `webhook_disabled`).
 * Nothing sleeps in a handler.
 */
@Injectable()
export class RetryHandler implements MessageHandler {
  private readonly logger = new Logger('RetryHandler');

  constructor(
    private readonly directory: WebhookDirectory,
    private readonly deliverer: Deliverer,
    private readonly invalid: InvalidEvents,
    private readonly metrics: Metrics,
    private readonly kafka: DurableSender,
    private readonly topics: Topics,
  ) {}

  /**
   * A job whose handling failed for good goes to the DLQ with the reason (replayable like any dead
   * letter); anything that is not a job goes to the invalid-events topic.
   */
  async setAside(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    const job = parseDeliveryJob(message.value);
    if (!job) return this.invalid.setAside(topic, partition, message, reason);
    const lastError = reason.slice(0, 200);
    this.metrics.deadLettered.inc({ event_type: job.event_type });
    const dead = { ...job, dead_at: new Date().toISOString(), last_error: lastError };
    const headers = { 'rift-webhook-id': job.webhook_id, 'rift-event-id': job.event_id, 'rift-last-error': lastError };
    await this.kafka.sendDurably(this.topics.dlq, { key: job.webhook_id, value: JSON.stringify(dead), headers }, { topic, partition, offset: message.offset });
  }

  /**
   * Per tier topic: how far ahead of its due time a job is taken (TIER_LOOKAHEAD_MS plus
   * JITTER_SHARE of the tier's delay). Retries carry up to JITTER_SHARE of the tier's delay as
   * jitter, so a tier partition's jobs are not in due order: a job behind the head may be due up to
   * that much earlier than the head. Taking the head that much sooner (its work waits on a timer)
   * means no job waits behind a later-due one (measured: see TIER_LOOKAHEAD_MS).
   */
  private readonly lookahead = new Map<string, number>();

  async admit(topic: string, partition: number, message: KafkaMessage): Promise<Admission> {
    const job = parseDeliveryJob(message.value);
    if (!job) return { work: this.invalid.setAside(topic, partition, message, 'not a delivery job') };
    const lookahead = this.lookaheadFor(topic);
    if (job.due_at > Date.now() + lookahead) return { notBefore: job.due_at - lookahead };
    const done = await this.deliverer.gate.admit();
    return {
      work: (async () => {
        // A loop, not one timer: Node's timers may fire a millisecond early (measured: -1 ms against
        // due_at in the retry-timing benchmark), and a retry must never be earlier than due.
        for (let wait = job.due_at - Date.now(); wait > 0; wait = job.due_at - Date.now()) await new Promise((r) => setTimeout(r, wait));
        const webhook = await untilSuccess(
          () => this.directory.webhook(job.tenant_id, job.webhook_id),
          (err, delay) => this.logger.warn(`webhook lookup failed, retrying in ${delay} ms: ${(err as Error).message}`),
        );
        if (!webhook) {
          this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'skipped_deleted' });
          this.logger.log({ msg: 'webhook deleted; retry dropped', webhook_id: job.webhook_id, event_id: job.event_id, attempts: job.attempts });
          return;
        }
        if (webhook.disabled) {
          // Kept, not dropped: replayable (rift dlq replay) once the webhook is enabled again.
          this.metrics.deliveries.inc({ event_type: job.event_type, outcome: 'dead_lettered' });
          this.metrics.deadLettered.inc({ event_type: job.event_type });
          this.logger.log({ msg: 'webhook disabled; job dead-lettered', webhook_id: job.webhook_id, event_id: job.event_id, attempts: job.attempts });
          return sendToDlq(this.kafka, this.topics, this.metrics, job, 'webhook_disabled');
        }
        await this.deliverer.attempt(job, webhook);
      })().finally(done),
    };
  }

  private lookaheadFor(topic: string): number {
    let ms = this.lookahead.get(topic);
    if (ms === undefined) {
      const longest = Math.max(0, ...this.topics.tiers.filter((t) => t.topic === topic).map((t) => t.delayMs));
      ms = TIER_LOOKAHEAD_MS + Math.ceil(JITTER_SHARE * longest);
      this.lookahead.set(topic, ms);
    }
    return ms;
  }
}
