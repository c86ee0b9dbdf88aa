import { Inject, Injectable } from '@nestjs/common';
import type { Consumer, ConsumerConfig } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { KafkaClient } from './kafka-client.js';

/** Makes kafkajs consumers with the pipeline's settings (a TrackedConsumer's, or the CLI's DLQ reader). */
@Injectable()
export class ConsumerFactory {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly client: KafkaClient,
  ) {}

  get sessionTimeoutMs(): number {
    return this.config.kafka.sessionTimeoutMs;
  }

  create(config: ConsumerConfig): Consumer {
    const sessionTimeout = this.config.kafka.sessionTimeoutMs;
    return this.client.kafka.consumer({
      maxWaitTimeInMs: this.config.kafka.maxWaitMs,
      allowAutoTopicCreation: false,
      sessionTimeout,
      heartbeatInterval: Math.floor(sessionTimeout / 5),
      // Smaller reads than kafkajs' defaults (1 MiB per partition, 10 MiB per fetch): admission
      // bounds the work anyway, and every consumer holding 10 MiB batches is what grew RSS.
      maxBytesPerPartition: 256 * 1024,
      maxBytes: 2 * 1024 * 1024,
      ...config,
    });
  }
}
