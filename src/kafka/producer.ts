import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import kafkajs, { type IHeaders, type Producer } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { KafkaClient } from './kafka-client.js';
import { chunkByBytes, isTooLarge, MessageTooLargeError, messageBytes } from './produce-limits.js';
import { PRODUCER_RETRY, sendBatchWithRetry } from './produce-retry.js';

const { Partitioners } = kafkajs;

export interface OutgoingMessage {
  key?: string | Buffer | null;
  value: string | Buffer;
  headers?: IHeaders;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface Item {
  topic: string;
  message: OutgoingMessage;
  waiter: Waiter;
  bytes: number;
}

/**
 * The process's one producer (acks=all), batching: messages produced in the same few milliseconds
 * go out as one request per topic (that is what keeps 2,000+/s cheap). For a send retried until it
 * succeeds, see DurableSender.
 */
@Injectable()
export class KafkaProducer implements OnApplicationShutdown {
  private producer?: Producer;
  private producerReady?: Promise<Producer>;
  private queue = new Map<string, { messages: OutgoingMessage[]; waiters: Waiter[] }>();
  private flushTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly client: KafkaClient,
  ) {}

  /** True once the process shuts down: sends are refused, retries stop. */
  get isClosed(): boolean {
    return this.closed;
  }

  private getProducer(): Promise<Producer> {
    if (!this.producerReady) {
      const producer = this.client.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, retry: PRODUCER_RETRY });
      this.producerReady = producer.connect().then(
        () => (this.producer = producer),
        (err) => {
          this.producerReady = undefined;
          throw err;
        },
      );
    }
    return this.producerReady;
  }

  /** Produces one message with acks=all and resolves once the broker has it. */
  send(topic: string, message: OutgoingMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('Kafka producer is closed'));
    return new Promise((resolve, reject) => {
      let q = this.queue.get(topic);
      if (!q) this.queue.set(topic, (q = { messages: [], waiters: [] }));
      q.messages.push(message);
      q.waiters.push({ resolve, reject });
      if (q.messages.length >= 500) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), 2);
    });
  }

  private async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.queue;
    this.queue = new Map();
    if (batch.size === 0) return;
    const items = [...batch].flatMap(([topic, q]) =>
      q.messages.map((message, i): Item => ({ topic, message, waiter: q.waiters[i]!, bytes: messageBytes(message) })),
    );
    const limit = this.config.kafka.maxMessageBytes;
    const fits = items.filter((it) => {
      if (it.bytes <= limit) return true;
      it.waiter.reject(new MessageTooLargeError(it.bytes, limit));
      return false;
    });
    // Requests capped in bytes below the broker's limit: kafkajs puts a partition's messages in one
    // record batch, and the broker refuses a batch over its message.max.bytes whole.
    await Promise.all(chunkByBytes(fits, limit).map((chunk) => this.sendChunk(chunk)));
  }

  /** Sends one chunk; a chunk refused as too large is split in halves until the culprit is alone. */
  private async sendChunk(chunk: Item[]): Promise<void> {
    try {
      const producer = await this.getProducer();
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const it of chunk) (byTopic.get(it.topic) ?? byTopic.set(it.topic, []).get(it.topic)!).push(it.message);
      await sendBatchWithRetry(producer, { acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      chunk.forEach((it) => it.waiter.resolve());
    } catch (err) {
      if (isTooLarge(err) && chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        await Promise.all([this.sendChunk(chunk.slice(0, half)), this.sendChunk(chunk.slice(half))]);
      } else if (isTooLarge(err)) {
        chunk[0]!.waiter.reject(new MessageTooLargeError(chunk[0]!.bytes, this.config.kafka.maxMessageBytes));
      } else chunk.forEach((it) => it.waiter.reject(err));
    }
  }

  /** Sends what is queued, then refuses further sends and disconnects. */
  async onApplicationShutdown(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.producer?.disconnect().catch(() => undefined);
  }
}
