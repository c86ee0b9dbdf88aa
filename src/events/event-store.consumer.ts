import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { untilSuccess } from '../common/retry.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { KafkaService } from '../kafka/kafka.service.js';
import { Topics } from '../kafka/topics.js';
import { Metrics } from '../ops/metrics.js';
import { type Admission, type MessageHandler, TrackedConsumer } from '../kafka/tracked-consumer.js';
import { payloadData } from './event-schema.js';
import { type EventRow, EventStore } from './event-store.js';
import { parseInputMessage } from './input-message.js';

const MAX_BATCH = 1_000;
const LINGER_MS = 10;

/**
 * Consumer group `<prefix>-event-store`, separate from the dispatcher: persists every valid input
 * event. Messages are gathered for a few milliseconds (up to 1,000) and written by one statement;
 * their offsets become committable only after that statement commits. Invalid messages are skipped
 * here (the dispatcher sets them aside with the reason).
 */
@Injectable()
export class EventStoreConsumer implements MessageHandler, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventStore');
  private readonly consumer: TrackedConsumer;
  private pending: { row: EventRow; done: () => void }[] = [];
  private timer?: NodeJS.Timeout;
  private writing = Promise.resolve();
  /** Rows taken from `pending` whose statement has not committed yet. */
  private writingRows = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kafka: KafkaService,
    private readonly topics: Topics,
    private readonly store: EventStore,
    private readonly metrics: Metrics,
  ) {
    this.consumer = new TrackedConsumer(kafka, { groupId: topics.groups.eventStore, topics: Object.values(topics.input), handler: this, partitionsConsumedConcurrently: 6 });
  }

  onApplicationBootstrap(): void {
    void (async () => {
      await this.kafka.topicsReady();
      await this.consumer.start();
    })();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop(this.config.shutdownTimeoutMs);
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
    // Backpressure: while 4 batches wait to be written, wait for the writes (not a spin: `writing`
    // settles only when every queued write has committed, which lowers the count).
    while (this.pending.length + this.writingRows >= MAX_BATCH * 4) await this.writing;
    return {
      work: new Promise<void>((done) => {
        this.pending.push({ row, done });
        if (this.pending.length >= MAX_BATCH) this.flush();
        else this.timer ??= setTimeout(() => this.flush(), LINGER_MS);
      }),
    };
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    this.writingRows += batch.length;
    this.writing = this.writing.then(async () => {
      const inserted = await untilSuccess(
        () => this.store.insertBatch(batch.map((b) => b.row)),
        (err, delay) => this.logger.warn(`storing ${batch.length} events failed, retrying in ${delay} ms: ${(err as Error).message.split('\n')[0]}`),
      );
      this.metrics.eventsStored.inc(inserted);
      this.writingRows -= batch.length;
      batch.forEach((b) => b.done());
    });
  }
}
