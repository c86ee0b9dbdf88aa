import { Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { KafkaService } from '../kafka/kafka.service.js';
import { Topics } from '../kafka/topics.js';
import { Metrics } from '../ops/metrics.js';

/**
 * Sets a bad message aside on the invalid-events topic: the original key and bytes, with the reason
 * and its origin in headers. Resolves once Kafka has it, so the source offset can be committed.
 */
@Injectable()
export class InvalidEvents {
  private readonly logger = new Logger('InvalidEvents');

  constructor(private readonly kafka: KafkaService, private readonly topics: Topics, private readonly metrics: Metrics) {}

  async setAside(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    const short = reason.length > 1000 ? `${reason.slice(0, 1000)}...` : reason;
    await this.kafka.sendDurably(this.topics.invalid, {
      key: message.key,
      value: message.value ?? Buffer.alloc(0),
      headers: {
        'rift-reason': short,
        'rift-source-topic': topic,
        'rift-source-partition': String(partition),
        'rift-source-offset': message.offset,
        'rift-set-aside-at': new Date().toISOString(),
      },
    });
    this.metrics.invalidEvents.inc({ topic });
    this.logger.warn({ msg: 'invalid event set aside', topic, partition, offset: message.offset, reason: short });
  }
}
