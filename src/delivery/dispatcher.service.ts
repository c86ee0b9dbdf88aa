import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { KafkaService } from '../kafka/kafka.service.js';
import { Topics } from '../kafka/topics.js';
import { TrackedConsumer } from '../kafka/tracked-consumer.js';
import { InputHandler } from './input-handler.js';
import { RetryHandler } from './retry-handler.js';
import { TIER_MAX_BYTES_PER_PARTITION } from './tuning.js';

/**
 * Runs the dispatcher's two consumer groups (names from Topics.groups): `rift-dispatcher` on the input
 * topics and `rift-dispatcher-retry` on the retry tiers (separate, so a paused tier never slows new events).
 * SIGTERM drains in-flight attempts (up to SHUTDOWN_TIMEOUT_MS) and commits before leaving.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly input: TrackedConsumer;
  private readonly retry: TrackedConsumer;
  private started?: Promise<void>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly kafka: KafkaService, topics: Topics, inputHandler: InputHandler, retryHandler: RetryHandler) {
    this.input = new TrackedConsumer(kafka, { groupId: topics.groups.dispatcher, topics: Object.values(topics.input), handler: inputHandler, partitionsConsumedConcurrently: 6 });
    this.retry = new TrackedConsumer(kafka, { groupId: topics.groups.retry, topics: topics.retryTopics(), handler: retryHandler, partitionsConsumedConcurrently: 6, maxBytesPerPartition: TIER_MAX_BYTES_PER_PARTITION });
  }

  onApplicationBootstrap(): void {
    this.started = (async () => {
      await this.kafka.topicsReady();
      await Promise.all([this.input.start(), this.retry.start()]);
      this.logger.log('dispatcher consuming');
    })();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.logger.log('draining in-flight deliveries');
    await Promise.all([this.input.stop(this.config.shutdownTimeoutMs), this.retry.stop(this.config.shutdownTimeoutMs)]);
    this.logger.log('dispatcher stopped');
  }
}
