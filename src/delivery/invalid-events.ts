import { Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { DurableSender } from '../kafka/durable-sender.js';
import { Metrics } from '../ops/metrics.js';

/**
 * Sets a bad message aside on the invalid-events topic: the original key and bytes, with the reason
 * and its origin in headers. Resolves once Kafka has it, so the source offset can be committed.
 */
@Injectable()
export class InvalidEvents {
  private readonly logger = new Logger('InvalidEvents');

  constructor(
    private readonly kafka: DurableSender,
    private readonly metrics: Metrics,
  ) {}

  async setAside(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    await this.kafka.setAside(topic, partition, message, reason);
    this.metrics.invalidEvents.inc({ topic });
    this.logger.warn({ msg: 'invalid event set aside', topic, partition, offset: message.offset, reason: reason.slice(0, 1000) });
  }
}
