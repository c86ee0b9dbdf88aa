import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ConsumerFactory } from './consumer-factory.js';
import { ConsumerHealth } from './consumer-health.js';
import { DurableSender } from './durable-sender.js';
import { KafkaReady } from './kafka-ready.js';
import { TrackedConsumer, type TrackedConsumerOptions } from './tracked-consumer.js';

/**
 * Runs the process's consumer groups. A feature declares a group in its constructor (`add`: group,
 * topics, handler); this starts every group once the topics exist (boot does not wait for Kafka),
 * and at shutdown drains them all: in-flight work finishes (up to SHUTDOWN_TIMEOUT_MS), what
 * finished is committed, then each leaves its group. It runs before any provider's
 * onApplicationShutdown, so the producer and PostgreSQL are still there for the work that drains.
 */
@Injectable()
export class ConsumerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Consumers');
  private readonly consumers: TrackedConsumer[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly factory: ConsumerFactory,
    private readonly health: ConsumerHealth,
    private readonly sender: DurableSender,
    private readonly ready: KafkaReady,
  ) {}

  /** Declares a consumer group of this process (call it from a provider's constructor). */
  add(opts: TrackedConsumerOptions): TrackedConsumer {
    const consumer = new TrackedConsumer({ consumers: this.factory, health: this.health, sender: this.sender }, opts);
    this.consumers.push(consumer);
    return consumer;
  }

  onApplicationBootstrap(): void {
    if (this.consumers.length === 0) return;
    void (async () => {
      await this.ready.topicsReady();
      await Promise.all(this.consumers.map((c) => c.start()));
      this.logger.log(`consuming: ${this.groups()}`);
    })();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.consumers.length === 0) return;
    this.logger.log('draining in-flight work');
    await Promise.all(this.consumers.map((c) => c.stop(this.config.shutdownTimeoutMs)));
    // "dispatcher stopped": what operators (and the platform test) look for after SIGTERM.
    this.logger.log(`dispatcher stopped: consumer groups drained and committed (${this.groups()})`);
  }

  private groups(): string {
    return this.consumers.map((c) => c.status().group).join(', ');
  }
}
