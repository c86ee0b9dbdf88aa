import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import kafkajs, { type Admin, type Consumer, type ConsumerConfig, type IHeaders, type KafkaMessage, type Producer } from 'kafkajs';
import { backoffDelay } from '../common/retry.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ConsumerHealth } from './consumer-health.js';
import { chunkByBytes, isTooLarge, MessageTooLargeError, messageBytes, tooLargeReference } from './produce-limits.js';
import { PRODUCER_RETRY, sendBatchWithRetry } from './produce-retry.js';
import { provisionTopics } from './topic-provisioning.js';
import { Topics } from './topics.js';

const { Kafka, logLevel, Partitioners } = kafkajs;

export interface OutgoingMessage {
  key?: string | Buffer | null;
  value: string | Buffer;
  headers?: IHeaders;
}

/**
 * The Kafka client of the process: one producer (acks=all, batched), an admin client, and a factory
 * for consumers.
 *
 * Why kafkajs directly and not @nestjs/microservices' Kafka transport: the transport hands one
 * message at a time to an @EventPattern handler and commits after it returns. The dispatcher needs
 * what it cannot express: many deliveries in flight per partition, offsets committed only up to the
 * lowest unfinished message, and pause/resume of single partitions for retry tiers. The transport is
 * still what the benchmark's baseline uses (a plain @EventPattern handler).
 */
@Injectable()
export class KafkaService implements OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');
  readonly kafka: InstanceType<typeof Kafka>;
  /** For boot and health checks: fails fast and quietly (callers loop and log "waiting for Kafka"). */
  private readonly probeKafka: InstanceType<typeof Kafka>;
  private producer?: Producer;
  private producerReady?: Promise<Producer>;
  private admin?: Admin;
  private queue = new Map<string, { messages: OutgoingMessage[]; waiters: { resolve: () => void; reject: (e: unknown) => void }[] }>();
  private flushTimer?: NodeJS.Timeout;
  private closed = false;
  /** The process's consumer groups and whether they run (for /health/ready). */
  readonly consumerHealth = new ConsumerHealth();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly topics: Topics) {
    this.kafka = new Kafka({
      clientId: config.kafka.clientId,
      brokers: config.kafka.brokers,
      logLevel: logLevel.WARN,
      retry: { initialRetryTime: 250, retries: 8, maxRetryTime: 5_000 },
      logCreator: () => ({ namespace, level, log }) => {
        const { message, ...rest } = log;
        const line = `${namespace}: ${message} ${JSON.stringify(rest)}`;
        if (level <= logLevel.ERROR) this.logger.error(line);
        else this.logger.warn(line);
      },
    });
    this.probeKafka = new Kafka({
      clientId: `${config.kafka.clientId}-admin`,
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 200, retries: 1 },
    });
  }

  async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.probeKafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private getProducer(): Promise<Producer> {
    if (!this.producerReady) {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, retry: PRODUCER_RETRY });
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

  /**
   * Produces one message with acks=all and resolves once the broker has it. Messages produced in the
   * same few milliseconds go out as one request per topic (that is what keeps 2,000+/s cheap).
   */
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

  /**
   * `send`, retried with jittered backoff until it succeeds or the process shuts down. A message the
   * broker can never take (over its size limit) is not retried: a reference to it (where it came
   * from, its size, the reason, its first bytes) is set aside on the invalid-events topic instead,
   * and that counts as handed on. `origin` names the consumed message it was made from, if any.
   */
  async sendDurably(topic: string, message: OutgoingMessage, origin?: { topic: string; partition: number; offset: string }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(topic, message);
      } catch (err) {
        // Not for a reference itself (a first KiB always fits): anything else too large, even on its
        // way to the invalid-events topic, is replaced by a reference rather than retried for ever.
        if (err instanceof MessageTooLargeError && message.headers?.['rift-reference'] === undefined) {
          this.logger.error({ msg: 'message too large for the broker; a reference is set aside', topic, bytes: err.bytes, origin });
          return this.sendDurably(this.topics.invalid, tooLargeReference(topic, message, err, origin));
        }
        if (this.closed) throw err;
        const delay = backoffDelay(attempt);
        this.logger.warn(`produce to ${topic} failed, retrying in ${delay} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
      }
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

  private async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.queue;
    this.queue = new Map();
    if (batch.size === 0) return;
    const items = [...batch].flatMap(([topic, q]) => q.messages.map((message, i) => ({ topic, message, waiter: q.waiters[i]!, bytes: messageBytes(message) })));
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
  private async sendChunk(chunk: { topic: string; message: OutgoingMessage; waiter: { resolve: () => void; reject: (e: unknown) => void }; bytes: number }[]): Promise<void> {
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

  get sessionTimeoutMs(): number {
    return this.config.kafka.sessionTimeoutMs;
  }

  consumer(config: ConsumerConfig): Consumer {
    const sessionTimeout = this.config.kafka.sessionTimeoutMs;
    return this.kafka.consumer({
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

  /** Creates every topic of the pipeline if missing (idempotent); warns about existing ones that differ. */
  async ensureTopics(): Promise<void> {
    await provisionTopics(await this.getAdmin(), this.topics, this.config.kafka, this.logger);
  }

  private topicsPromise?: Promise<void>;

  /** Resolves once the pipeline's topics exist (created once per process, retried until Kafka answers). */
  topicsReady(): Promise<void> {
    this.topicsPromise ??= this.waitUntilUp();
    return this.topicsPromise;
  }

  /** Resolves once the topics exist; retries with backoff while Kafka is unreachable. */
  private async waitUntilUp(): Promise<void> {
    for (let attempt = 1, delay = 250; !this.closed; attempt++, delay = Math.min(delay * 2, 5_000)) {
      try {
        await this.ensureTopics();
        return;
      } catch (err) {
        this.logger.warn(`waiting for Kafka at ${this.config.kafka.brokers.join(',')} (attempt ${attempt}): ${(err as Error).message}`);
        await this.admin?.disconnect().catch(() => undefined);
        this.admin = undefined;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async ping(): Promise<void> {
    const admin = await this.getAdmin();
    await admin.describeCluster();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
    this.closed = true;
    await Promise.allSettled([this.producer?.disconnect(), this.admin?.disconnect()]);
  }
}
