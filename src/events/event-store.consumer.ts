import { Inject, Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import type { BatchWriter } from '../common/batch-writer.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { dbBatchWriter } from '../prisma/db-batch-writer.js';
import { ConsumerRunner } from '../kafka/consumer-runner.js';
import { Topics } from '../kafka/topics.js';
import { Metrics } from '../ops/metrics.js';
import type { Admission, MessageHandler } from '../kafka/tracked-consumer.js';
import { payloadData } from './event-schema.js';
import { type EventRow, EventStore } from './event-store.js';
import { parseInputMessage } from './input-message.js';

const MAX_BATCH = 1_000;
const LINGER_MS = 10;

/**
 * Consumer group `<prefix>-event-store`, separate from the dispatcher: persists every valid input
 * event. Messages are gathered for up to LINGER_MS (at most MAX_BATCH) and written by one statement;
 * their offsets become committable only after that statement commits. Invalid messages are skipped
 * here (the dispatcher sets them aside with the reason).
 */
@Injectable()
export class EventStoreConsumer implements MessageHandler {
  private readonly logger = new Logger('EventStore');
  private readonly writer: BatchWriter<EventRow>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    consumers: ConsumerRunner,
    private readonly topics: Topics,
    private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {
    this.writer = dbBatchWriter<EventRow>({
      what: 'events',
      logger: this.logger,
      maxBatch: MAX_BATCH,
      lingerMs: LINGER_MS,
      write: async (rows) => void this.metrics.eventsStored.inc(await this.store.insertBatch(rows)),
    });
    consumers.add({ groupId: topics.groups.eventStore, topics: Object.values(topics.input), handler: this, partitionsConsumedConcurrently: 6 });
  }

  async admit(topic: string, partition: number, message: KafkaMessage): Promise<Admission> {
    const type = this.topics.typeOfInput(topic);
    const parsed = type ? parseInputMessage(type, topic, partition, message, this.config.events.maxBytes) : undefined;
    if (!type || !parsed?.ok) return { work: Promise.resolve() };
    const d = parsed.data as unknown as Record<string, unknown>;
    const row: EventRow = {
      tenantId: parsed.data.tenant_id,
      id: parsed.eventId,
      type,
      linkId: parsed.data.link_id,
      conversionType: (d.conversion_type as string | undefined) ?? null,
      amountCents: (d.amount_cents as number | undefined) ?? null,
      currency: (d.currency as string | undefined) ?? null,
      occurredAt: parsed.data.timestamp,
      data: payloadData(type, parsed.data, parsed.eventId),
    };
    const { written } = await this.writer.add(row);
    return { work: written };
  }
}
