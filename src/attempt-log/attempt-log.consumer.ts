import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import type { BatchWriter } from '../common/batch-writer.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { dbBatchWriter } from '../prisma/db-batch-writer.js';
import { ConsumerRunner } from '../kafka/consumer-runner.js';
import { Topics } from '../kafka/topics.js';
import type { Admission, MessageHandler } from '../kafka/tracked-consumer.js';
import { EndpointHealth } from '../endpoint-health/endpoint-health.js';
import { AttemptLogStore } from './attempt-log.store.js';
import { type AttemptRecord, parseAttemptRecord } from '../contracts/attempt-record.js';

const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Consumer group `<prefix>-attempt-log`: writes the attempt records that reached the attempts topic
 * (those a dispatcher could not store itself, see AttemptLogWriter, and test sends) to PostgreSQL in
 * batches of up to 1,000 (offsets committed after the write), retrying until the database answers,
 * and updates each webhook's endpoint health from them (EndpointHealth). Also deletes
 * attempts older than ATTEMPT_LOG_RETENTION_DAYS, at boot and hourly.
 */
@Injectable()
export class AttemptLogConsumer implements MessageHandler, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AttemptLog');
  private readonly writer: BatchWriter<AttemptRecord>;
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    consumers: ConsumerRunner,
    topics: Topics,
    private readonly store: AttemptLogStore,
    health: EndpointHealth,
  ) {
    this.writer = dbBatchWriter<AttemptRecord>({
      what: 'attempt records',
      logger: this.logger,
      maxBatch: 1_000,
      lingerMs: 20,
      // Health follows the stored records; a failed batch is retried whole (the insert is idempotent).
      write: async (records) => {
        await store.insertBatch(records);
        await health.apply(records);
      },
    });
    consumers.add({ groupId: topics.groups.attemptLog, topics: [topics.attempts], handler: this, partitionsConsumedConcurrently: 6 });
  }

  onApplicationBootstrap(): void {
    const purge = () => void this.purge();
    setTimeout(purge, 5_000).unref();
    this.purgeTimer = setInterval(purge, PURGE_EVERY_MS).unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  async admit(topic: string, partition: number, message: KafkaMessage): Promise<Admission> {
    const record = parseAttemptRecord(message.value);
    if (!record) {
      this.logger.warn({ msg: 'not an attempt record; skipped', topic, partition, offset: message.offset });
      return { work: Promise.resolve() };
    }
    const { written } = await this.writer.add(record);
    return { work: written };
  }

  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.attemptLog.retentionDays * 86_400_000);
    try {
      const n = await this.store.purgeBefore(cutoff);
      if (n > 0) this.logger.log({ msg: 'attempt log purged', deleted: n, before: cutoff.toISOString() });
      return n;
    } catch (err) {
      this.logger.warn(`purging the attempt log failed (next try in an hour): ${(err as Error).message.split('\n')[0]}`);
      return 0;
    }
  }
}
