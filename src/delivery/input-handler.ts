import { Inject, Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { untilSuccess } from '../common/backoff.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { buildPayload } from '../events/event-schema.js';
import { parseInputMessage } from '../events/input-message.js';
import { Topics } from '../kafka/topics.js';
import type { Admission, MessageHandler } from '../kafka/tracked-consumer.js';
import { WebhookDirectory } from '../webhooks/webhook-directory.js';
import { Deliverer } from './deliverer.js';
import { InvalidEvents } from './invalid-events.js';

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

  setAside(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    return this.invalid.setAside(topic, partition, message, reason);
  }

  async admit(topic: string, partition: number, message: KafkaMessage): Promise<Admission> {
    const done = await this.deliverer.gate.admit();
    return { work: this.handle(topic, partition, message).finally(done) };
  }

  private async handle(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    const type = this.topics.typeOfInput(topic);
    const reject = (reason: string) => this.invalid.setAside(topic, partition, message, reason);
    if (!type) return reject(`not an input topic: ${topic}`);
    const parsed = parseInputMessage(type, topic, partition, message, this.config.events.maxBytes);
    if (!parsed.ok) return reject(parsed.reason);
    const { data, eventId } = parsed;
    const webhooks = await untilSuccess(
      () => this.directory.subscribers(data.tenant_id, type),
      (err, delay) => this.logger.warn(`webhook lookup failed, retrying in ${delay} ms: ${(err as Error).message}`),
    );
    if (webhooks === null) return reject(`unknown tenant ${data.tenant_id}`);
    if (webhooks.length === 0) return;
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
