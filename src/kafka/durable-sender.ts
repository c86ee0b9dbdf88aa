import { Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { retry, UNTIL_SUCCESS } from '../common/backoff.js';
import { MessageTooLargeError, tooLargeReference } from './produce-limits.js';
import { KafkaProducer, type OutgoingMessage } from './producer.js';
import { Topics } from './topics.js';

/** Where a message being produced came from: the consumed message it was made from. */
export interface MessageOrigin {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Produces messages that must not be lost: retried until the broker has them, or set aside on the
 * invalid-events topic when they cannot be produced at all. What a consumer hands on through this
 * may have its source offset committed as soon as the promise resolves.
 */
@Injectable()
export class DurableSender {
  private readonly logger = new Logger('Kafka');

  constructor(
    private readonly producer: KafkaProducer,
    private readonly topics: Topics,
  ) {}

  /**
   * `send`, retried with jittered backoff until it succeeds or the process shuts down. A message the
   * broker can never take (over its size limit) is not retried: a reference to it (where it came
   * from, its size, the reason, its first bytes) is set aside on the invalid-events topic instead,
   * and that counts as handed on. `origin` names the consumed message it was made from, if any.
   */
  async sendDurably(topic: string, message: OutgoingMessage, origin?: MessageOrigin): Promise<void> {
    // Not for a reference itself (a first KiB always fits): anything else too large, even on its
    // way to the invalid-events topic, is replaced by a reference rather than retried for ever.
    const tooLarge = (err: unknown): err is MessageTooLargeError => err instanceof MessageTooLargeError && message.headers?.['rift-reference'] === undefined;
    try {
      await retry(() => this.producer.send(topic, message), UNTIL_SUCCESS, {
        retryIf: (err) => !tooLarge(err),
        isStopped: () => this.producer.isClosed,
        onRetry: (err, delay) => this.logger.warn(`produce to ${topic} failed, retrying in ${delay} ms: ${(err as Error).message}`),
      });
    } catch (err) {
      if (!tooLarge(err)) throw err;
      this.logger.error({ msg: 'message too large for the broker; a reference is set aside', topic, bytes: err.bytes, origin });
      return this.sendDurably(this.topics.invalid, tooLargeReference(topic, message, err, origin));
    }
  }

  /**
   * Sets a consumed message aside on the invalid-events topic, with the reason and its origin in
   * headers (original key and bytes kept). Resolves once Kafka has it, so the source offset can move.
   */
  setAside(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    const short = reason.length > 1000 ? `${reason.slice(0, 1000)}...` : reason;
    const origin = { topic, partition, offset: message.offset };
    return this.sendDurably(
      this.topics.invalid,
      {
        key: message.key,
        value: message.value ?? Buffer.alloc(0),
        headers: {
          'rift-reason': short,
          'rift-source-topic': topic,
          'rift-source-partition': String(partition),
          'rift-source-offset': message.offset,
          'rift-set-aside-at': new Date().toISOString(),
        },
      },
      origin,
    );
  }
}
