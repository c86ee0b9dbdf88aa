import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { untilSuccess } from '../common/retry.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { buildPayload, validateEventData } from '../events/event-schema.js';
import { Topics } from '../kafka/topics.js';
import type { Admission, MessageHandler } from '../kafka/tracked-consumer.js';
import { WebhookDirectory } from '../webhooks/webhook-directory.js';
import { Deliverer } from './deliverer.js';
import { InvalidEvents } from './invalid-events.js';

/** An id for an event that came without one: the same for every redelivery of that message. */
export function derivedEventId(topic: string, partition: number, offset: string): string {
  return createHash('sha256').update(`${topic}:${partition}:${offset}`).digest('hex').slice(0, 24);
}

/**
 * Input topics: validate the event, find the tenant's webhooks subscribed to its type, build and
 * serialise the payload once, and start one independent delivery per webhook.
 */
@Injectable()
export class InputHandler implements MessageHandler {
  private readonly logger = new Logger('InputHandler');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly topics: Topics,
    private readonly directory: WebhookDirectory,
    private readonly deliverer: Deliverer,
    private readonly invalid: InvalidEvents,
  ) {}

  async admit(topic: string, partition: number, message: KafkaMessage): Promise<Admission> {
    await this.deliverer.gate.waitForCapacity();
    return { work: this.handle(topic, partition, message) };
  }

  private async handle(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const type = this.topics.typeOfInput(topic);
    const raw = message.value;
    const reject = (reason: string) => this.invalid.setAside(topic, partition, message, reason);
    if (!type) return reject(`not an input topic: ${topic}`);
    if (!raw || raw.length === 0) return reject('empty message');
    if (raw.length > this.config.events.maxBytes) return reject(`message is ${raw.length} bytes, over the ${this.config.events.maxBytes}-byte limit`);
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      return reject('value is not valid JSON');
    }
    const checked = validateEventData(type, value);
    if (!checked.ok) return reject(checked.reason);
    const data = checked.data;
    const webhooks = await untilSuccess(
      () => this.directory.subscribers(data.tenant_id, type),
      (err, delay) => this.logger.warn(`webhook lookup failed, retrying in ${delay} ms: ${(err as Error).message}`),
    );
    if (webhooks === null) return reject(`unknown tenant ${data.tenant_id}`);
    if (webhooks.length === 0) return;
    const eventId = data.event_id ?? derivedEventId(topic, partition, message.offset);
    const body = buildPayload(type, data, eventId, new Date());
    await Promise.all(
      webhooks.map((w) =>
        this.deliverer.attempt(
          { v: 1, webhook_id: w.id, tenant_id: w.tenantId, event_id: eventId, event_type: type, body, attempts: 0, due_at: Date.now(), history: [] },
          w,
        ),
      ),
    );
  }
}
