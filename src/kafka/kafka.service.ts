import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import kafkajs, { type Admin, type Consumer, type ConsumerConfig, type IHeaders, type Producer } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
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

  /** `send`, retried with backoff until it succeeds or the process shuts down. */
  async sendDurably(topic: string, message: OutgoingMessage): Promise<void> {
    for (let delay = 100; ; delay = Math.min(delay * 2, 5_000)) {
      try {
        return await this.send(topic, message);
      } catch (err) {
        if (this.closed) throw err;
        this.logger.warn(`produce to ${topic} failed, retrying in ${delay} ms: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.queue;
    this.queue = new Map();
    if (batch.size === 0) return;
    const all = [...batch.values()].flatMap((q) => q.waiters);
    try {
      const producer = await this.getProducer();
      await sendBatchWithRetry(producer, {
        acks: -1,
        topicMessages: [...batch].map(([topic, q]) => ({ topic, messages: q.messages })),
      });
      all.forEach((w) => w.resolve());
    } catch (err) {
      all.forEach((w) => w.reject(err));
    }
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
