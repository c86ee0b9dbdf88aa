import { Logger } from '@nestjs/common';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { ConsumerFactory } from './consumer-factory.js';
import type { ConsumerHealth, ConsumerState, ConsumerStatus } from './consumer-health.js';
import { ConsumerRestarts } from './consumer-restarts.js';
import type { DurableSender } from './durable-sender.js';
import { OffsetCommits } from './offset-commits.js';
import { PartitionPauser } from './partition-pauser.js';
import { drainForRebalance, isRebalancing, settledWithin } from './rebalance-drain.js';

/** What a handler says about a message: its work has started, or it is not due until a time. */
export type Admission = { work: Promise<void> } | { notBefore: number };

export interface MessageHandler {
  /**
   * Called in offset order for each message of a partition. May wait (backpressure) before
   * answering. `work` must settle only when the message is fully handled (delivered, or handed to
   * the next topic with acks=all). Transient failures (a database or broker that does not answer)
   * are the handler's to retry; a rejection (or a throw from `admit`) means the work cannot finish:
   * the message is set aside with the reason and its offset released.
   */
  admit(topic: string, partition: number, message: KafkaMessage): Promise<Admission>;
  /** Where a message whose work failed for good goes; by default the invalid-events topic. */
  setAside?(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void>;
}

export interface TrackedConsumerOptions {
  groupId: string;
  topics: string[];
  handler: MessageHandler;
  partitionsConsumedConcurrently?: number;
  commitIntervalMs?: number;
  /** Bytes fetched per partition (kafkajs maxBytesPerPartition); smaller for topics that are paused and re-read often. */
  maxBytesPerPartition?: number;
}

/** The services a TrackedConsumer works with (ConsumerRunner passes them). */
export interface TrackedConsumerDeps {
  consumers: ConsumerFactory;
  health: ConsumerHealth;
  /** Sets aside a message whose work failed for good, when the handler has no `setAside`. */
  sender: Pick<DurableSender, 'setAside'>;
}

/**
 * A kafkajs consumer that runs many messages' work at once and still commits at-least-once:
 * each partition's offset advances only to the lowest message whose work is unfinished.
 * Partitions whose head message is not yet due are paused and resumed at the due time, so one
 * partition waiting never holds up another.
 */
export class TrackedConsumer {
  private readonly logger: Logger;
  private consumer?: Consumer;
  private readonly offsets: OffsetCommits;
  private readonly pauser: PartitionPauser;
  private readonly restarts: ConsumerRestarts;
  private readonly works = new Set<Promise<void>>();
  private commitTimer?: NodeJS.Timeout;
  private stopping = false;
  private state: ConsumerState = 'starting';
  private downSince?: number = Date.now();
  private lastError?: string;

  constructor(
    private readonly deps: TrackedConsumerDeps,
    private readonly opts: TrackedConsumerOptions,
  ) {
    this.logger = new Logger(`Consumer ${opts.groupId}`);
    this.offsets = new OffsetCommits(this.logger, () => this.consumer);
    this.pauser = new PartitionPauser(this.logger, () => this.stopping);
    this.restarts = new ConsumerRestarts(
      {
        run: () => this.run(),
        disconnect: async () => void (await this.consumer?.disconnect().catch(() => undefined)),
        isStopping: () => this.stopping,
        failed: (message) => (this.lastError = message),
        restarting: () => this.markDown(),
      },
      this.logger,
    );
    deps.health.register(opts.groupId, () => this.status());
  }

  status(): ConsumerStatus {
    return { group: this.opts.groupId, state: this.state, downSince: this.downSince, lastError: this.lastError };
  }

  /** Starts consuming; retried with backoff (and jitter) until it works or the process stops. */
  start(): Promise<void> {
    return this.restarts.start();
  }

  private markDown(): void {
    this.state = 'restarting';
    this.downSince ??= Date.now();
  }

  private async run(): Promise<void> {
    const consumer = this.deps.consumers.create({
      groupId: this.opts.groupId,
      ...(this.opts.maxBytesPerPartition ? { maxBytesPerPartition: this.opts.maxBytesPerPartition } : {}),
    });
    this.consumer = consumer;
    // A new generation re-reads uncommitted messages from the committed offsets (OffsetCommits.reset).
    // Resume timers stay: kafkajs keeps a partition paused across rebalances, and only its timer resumes it.
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.offsets.reset();
      this.state = 'running';
      this.downSince = undefined;
      this.restarts.joined();
      this.logger.log(`joined group as ${e.payload.memberId}, assigned ${JSON.stringify(e.payload.memberAssignment)}`);
    });
    // A rebalance is starting: commit what is finished now, under the generation that still owns it
    // (the coordinator takes commits of the current generation while it prepares the rebalance).
    consumer.on(consumer.events.REBALANCING, () => void this.commit());
    consumer.on(consumer.events.CRASH, (e) => {
      this.lastError = e.payload.error.message;
      this.logger.error(`consumer crashed (kafkajs restarts it: ${e.payload.restart}): ${e.payload.error.message}`);
      if (this.consumer !== consumer) return;
      this.markDown();
      if (!e.payload.restart) this.restarts.restart();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.opts.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const key = `${batch.topic}:${batch.partition}`;
        const tracker = this.offsets.tracker(batch.topic, batch.partition);
        // Admission may wait long (backpressure): keep the group session alive meanwhile, or the
        // group would evict this member and re-deliver everything uncommitted. One timer per batch;
        // kafkajs throttles heartbeats to its interval.
        const beating = setInterval(() => void heartbeat().catch(() => undefined), 1_000);
        try {
          for (const message of batch.messages) {
            if (this.stopping || !isRunning() || isStale()) break;
            let admission: Admission;
            try {
              admission = await this.opts.handler.admit(batch.topic, batch.partition, message);
            } catch (err) {
              admission = { work: Promise.reject(err) };
            }
            if ('notBefore' in admission) {
              this.pauser.pauseUntil(consumer, batch.topic, batch.partition, admission.notBefore);
              break;
            }
            const end = tracker.begin(BigInt(message.offset));
            const work = admission.work
              .catch((err: unknown) => this.giveUp(batch.topic, batch.partition, message, err))
              .then(end, (err: unknown) =>
                this.logger.error(`work for ${key}@${message.offset} failed and could not be set aside; it stays uncommitted: ${(err as Error).message}`),
              );
            this.works.add(work);
            void work.finally(() => this.works.delete(work));
            resolveOffset(message.offset);
            await heartbeat();
          }
        } catch (err) {
          // kafkajs re-joins the group only after this batch returns: finish (bounded) and commit the
          // work in flight first, so the next owner of these partitions does not run it all again.
          if (isRebalancing(err)) await drainForRebalance(this.works, this.deps.consumers.sessionTimeoutMs, () => this.commit(), this.logger);
          throw err;
        } finally {
          clearInterval(beating);
        }
      },
    });
    this.commitTimer ??= setInterval(() => void this.commit(), this.opts.commitIntervalMs ?? 200);
  }

  /** Sets aside a message whose work failed for good, so that its offset can move on. */
  private async giveUp(topic: string, partition: number, message: KafkaMessage, err: unknown): Promise<void> {
    // The last non-empty line says the most (Prisma's messages open with the call site).
    const text = (err as Error)?.message ?? String(err);
    const reason = `${this.opts.groupId}: ${
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .pop() ?? 'failed'
    }`;
    this.logger.error({ msg: 'work failed for good; setting the message aside', topic, partition, offset: message.offset, reason });
    if (this.opts.handler.setAside) await this.opts.handler.setAside(topic, partition, message, reason);
    else await this.deps.sender.setAside(topic, partition, message, reason);
  }

  /** Commits every partition's committable offset. */
  commit(): Promise<void> {
    return this.offsets.commit();
  }

  /**
   * Graceful stop: fetch nothing more, let in-flight work finish (up to `drainMs`), commit what is
   * finished, then leave the group. Work still running after the deadline stays uncommitted.
   */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    this.state = 'stopped';
    this.pauser.clear();
    const consumer = this.consumer;
    if (!consumer) return;
    try {
      consumer.pause(this.opts.topics.map((topic) => ({ topic })));
    } catch {
      /* not running */
    }
    await settledWithin(this.works, drainMs);
    clearInterval(this.commitTimer);
    await this.commit();
    await consumer.disconnect().catch((err: Error) => this.logger.warn(`disconnect: ${err.message}`));
  }
}
