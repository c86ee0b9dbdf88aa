import { Logger } from '@nestjs/common';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { backoffDelay } from '../common/retry.js';
import type { ConsumerState, ConsumerStatus } from './consumer-health.js';
import type { KafkaService } from './kafka.service.js';
import { OffsetTracker } from './offset-tracker.js';

/**
 * How long a member waits for its in-flight work when the group rebalances, before it re-joins (the
 * rest is re-run by the partition's next owner). Bounded by half the session timeout as well, so the
 * coordinator does not give up on this member meanwhile.
 */
const REBALANCE_DRAIN_MS = 5_000;

const isRebalancing = (e: unknown) => ['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION'].includes((e as { type?: string })?.type ?? '');

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

/**
 * A kafkajs consumer that runs many messages' work at once and still commits at-least-once:
 * each partition's offset advances only to the lowest message whose work is unfinished.
 * Partitions whose head message is not yet due are paused and resumed at the due time, so one
 * partition waiting never holds up another.
 */
export class TrackedConsumer {
  private readonly logger: Logger;
  private consumer?: Consumer;
  private trackers = new Map<string, OffsetTracker>();
  private readonly works = new Set<Promise<void>>();
  private readonly resumeTimers = new Map<string, NodeJS.Timeout>();
  private commitTimer?: NodeJS.Timeout;
  private stopping = false;
  private committing?: Promise<void>;
  private state: ConsumerState = 'starting';
  private downSince?: number = Date.now();
  private lastError?: string;
  private restarting?: Promise<void>;
  /** A crash kafkajs will not recover from happened while a restart was under way: restart again. */
  private crashedWhileRestarting = false;
  /** Restarts since the group last ran, for the backoff between them. */
  private restarts = 0;

  constructor(private readonly kafka: KafkaService, private readonly opts: TrackedConsumerOptions) {
    this.logger = new Logger(`Consumer ${opts.groupId}`);
    kafka.consumerHealth.register(opts.groupId, () => this.status());
  }

  status(): ConsumerStatus {
    return { group: this.opts.groupId, state: this.state, downSince: this.downSince, lastError: this.lastError };
  }

  /** Starts consuming; retried with backoff (and jitter) until it works or the process stops. */
  async start(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.run();
        return;
      } catch (err) {
        this.lastError = (err as Error).message;
        const delay = backoffDelay(attempt, 250, 5_000);
        this.logger.warn(`cannot start yet (attempt ${attempt}, next in ${delay} ms): ${this.lastError}`);
        await this.consumer?.disconnect().catch(() => undefined);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /**
   * kafkajs gives up on a consumer after some errors (a crash with `restart: false`) and leaves it
   * stopped for good: start it again, with backoff, as a new member. Meanwhile the group is
   * reported down (not ready); see ConsumerWatchdog for when the process gives up.
   */
  private restart(): void {
    if (this.stopping) return;
    if (this.restarting) {
      // kafkajs' run() does not throw when the join fails: it reports a crash and returns, so the
      // restart under way would end as if it had worked.
      this.crashedWhileRestarting = true;
      return;
    }
    this.state = 'restarting';
    this.downSince ??= Date.now();
    const delay = backoffDelay(++this.restarts, 500, 10_000);
    this.restarting = (async () => {
      await this.consumer?.disconnect().catch(() => undefined);
      await new Promise((r) => setTimeout(r, delay));
      await this.start();
    })().finally(() => {
      this.restarting = undefined;
      if (this.crashedWhileRestarting) {
        this.crashedWhileRestarting = false;
        this.restart();
      }
    });
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.opts.groupId, ...(this.opts.maxBytesPerPartition ? { maxBytesPerPartition: this.opts.maxBytesPerPartition } : {}) });
    this.consumer = consumer;
    // A new generation re-reads uncommitted messages from the committed offsets; old trackers are
    // dropped (their in-flight work still finishes, it just no longer moves any offset). Resume
    // timers stay: kafkajs keeps a partition paused across rebalances, and only its timer resumes it.
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.trackers = new Map();
      this.state = 'running';
      this.downSince = undefined;
      this.restarts = 0;
      this.logger.log(`joined group as ${e.payload.memberId}, assigned ${JSON.stringify(e.payload.memberAssignment)}`);
    });
    // A rebalance is starting: commit what is finished now, under the generation that still owns it
    // (the coordinator takes commits of the current generation while it prepares the rebalance).
    consumer.on(consumer.events.REBALANCING, () => void this.commit());
    consumer.on(consumer.events.CRASH, (e) => {
      this.lastError = e.payload.error.message;
      this.logger.error(`consumer crashed (kafkajs restarts it: ${e.payload.restart}): ${e.payload.error.message}`);
      if (this.consumer !== consumer) return;
      this.state = 'restarting';
      this.downSince ??= Date.now();
      if (!e.payload.restart) this.restart();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.opts.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const key = `${batch.topic}:${batch.partition}`;
        let tracker = this.trackers.get(key);
        if (!tracker) this.trackers.set(key, (tracker = new OffsetTracker()));
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
              this.pauseUntil(consumer, batch.topic, batch.partition, admission.notBefore);
              break;
            }
            const end = tracker.begin(BigInt(message.offset));
            const work = admission.work
              .catch((err: unknown) => this.giveUp(batch.topic, batch.partition, message, err))
              .then(end, (err: unknown) => this.logger.error(`work for ${key}@${message.offset} failed and could not be set aside; it stays uncommitted: ${(err as Error).message}`));
            this.works.add(work);
            void work.finally(() => this.works.delete(work));
            resolveOffset(message.offset);
            await heartbeat();
          }
        } catch (err) {
          // kafkajs re-joins the group only after this batch returns: finish (bounded) and commit the
          // work in flight first, so the next owner of these partitions does not run it all again.
          if (isRebalancing(err)) await this.drainForRebalance();
          throw err;
        } finally {
          clearInterval(beating);
        }
      },
    });
    this.commitTimer ??= setInterval(() => void this.commit(), this.opts.commitIntervalMs ?? 200);
  }

  /** Waits (at most REBALANCE_DRAIN_MS) for the work in flight, then commits what finished. */
  private async drainForRebalance(): Promise<void> {
    const started = Date.now();
    const pending = this.works.size;
    const deadline = new Promise((r) => setTimeout(r, Math.min(REBALANCE_DRAIN_MS, this.kafka.sessionTimeoutMs / 2)).unref());
    await Promise.race([Promise.allSettled([...this.works]), deadline]);
    // Twice: the first may be a commit already under way, made before the drain finished.
    await this.commit();
    await this.commit();
    this.logger.log({ msg: 'rebalance: drained and committed before re-joining', in_flight_before: pending, still_running: this.works.size, ms: Date.now() - started });
  }

  /** Sets aside a message whose work failed for good, so that its offset can move on. */
  private async giveUp(topic: string, partition: number, message: KafkaMessage, err: unknown): Promise<void> {
    // The last non-empty line says the most (Prisma's messages open with the call site).
    const text = (err as Error)?.message ?? String(err);
    const reason = `${this.opts.groupId}: ${text.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? 'failed'}`;
    this.logger.error({ msg: 'work failed for good; setting the message aside', topic, partition, offset: message.offset, reason });
    if (this.opts.handler.setAside) await this.opts.handler.setAside(topic, partition, message, reason);
    else await this.kafka.setAside(topic, partition, message, reason);
  }

  private pauseUntil(consumer: Consumer, topic: string, partition: number, when: number): void {
    consumer.pause([{ topic, partitions: [partition] }]);
    const key = `${topic}:${partition}`;
    clearTimeout(this.resumeTimers.get(key));
    this.resumeTimers.set(
      key,
      setTimeout(() => {
        this.resumeTimers.delete(key);
        if (this.stopping) return;
        // A timer callback must never throw: the consumer may be restarting or already replaced
        // (a new member starts with nothing paused).
        try {
          consumer.resume([{ topic, partitions: [partition] }]);
        } catch (err) {
          this.logger.warn(`resume of ${key} skipped: ${(err as Error).message}`);
        }
      }, Math.max(0, when - Date.now())),
    );
  }

  private clearResumeTimers(): void {
    this.resumeTimers.forEach((t) => clearTimeout(t));
    this.resumeTimers.clear();
  }

  /** Commits every partition's committable offset. */
  commit(): Promise<void> {
    this.committing ??= this.doCommit().finally(() => (this.committing = undefined));
    return this.committing;
  }

  private async doCommit(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    const marks: (() => void)[] = [];
    for (const [key, tracker] of this.trackers) {
      const at = tracker.committable();
      if (at === undefined) continue;
      const i = key.lastIndexOf(':');
      offsets.push({ topic: key.slice(0, i), partition: Number(key.slice(i + 1)), offset: at.toString() });
      marks.push(() => tracker.markCommitted(at));
    }
    if (offsets.length === 0) return;
    try {
      await consumer.commitOffsets(offsets);
      marks.forEach((m) => m());
    } catch (err) {
      this.logger.warn(`commit failed (will retry): ${(err as Error).message}`);
    }
  }

  /**
   * Graceful stop: fetch nothing more, let in-flight work finish (up to `drainMs`), commit what is
   * finished, then leave the group. Work still running after the deadline stays uncommitted.
   */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    this.state = 'stopped';
    this.clearResumeTimers();
    const consumer = this.consumer;
    if (!consumer) return;
    try {
      consumer.pause(this.opts.topics.map((topic) => ({ topic })));
    } catch {
      /* not running */
    }
    const deadline = new Promise((r) => setTimeout(r, drainMs).unref());
    await Promise.race([Promise.allSettled([...this.works]), deadline]);
    clearInterval(this.commitTimer);
    await this.commit();
    await consumer.disconnect().catch((err: Error) => this.logger.warn(`disconnect: ${err.message}`));
  }
}
