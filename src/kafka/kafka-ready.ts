import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { retry, UNTIL_UP } from '../common/backoff.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { KafkaAdmin } from './kafka-admin.js';
import { TopicProvisioner } from './topic-provisioning.js';

/**
 * The boot wait: resolves once Kafka answers and the pipeline's topics exist. Boot itself never
 * waits on it (Kafka may be down when the process starts); the consumers start only after it.
 */
@Injectable()
export class KafkaReady implements OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');
  private topicsPromise?: Promise<void>;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly admin: KafkaAdmin,
    private readonly provisioner: TopicProvisioner,
  ) {}

  /** Resolves once the pipeline's topics exist (created once per process, retried until Kafka answers). */
  topicsReady(): Promise<void> {
    this.topicsPromise ??= this.waitUntilUp();
    return this.topicsPromise;
  }

  /** Retries with backoff while Kafka is unreachable; resolves without topics if the process stops meanwhile. */
  private async waitUntilUp(): Promise<void> {
    if (this.closed) return;
    await retry(() => this.provisioner.ensureTopics(), UNTIL_UP, {
      isStopped: () => this.closed,
      onRetry: async (err, _delay, attempt) => {
        this.logger.warn(`waiting for Kafka at ${this.config.kafka.brokers.join(',')} (attempt ${attempt}): ${(err as Error).message}`);
        await this.admin.reset();
      },
    }).catch(() => undefined); // only thrown once stopped: the policy retries for ever
  }

  onApplicationShutdown(): void {
    this.closed = true;
  }
}
