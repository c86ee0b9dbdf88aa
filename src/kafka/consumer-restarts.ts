import type { Logger } from '@nestjs/common';
import { backoffDelay, type BackoffPolicy, retry, sleep } from '../common/backoff.js';

/** Between tries to start a member (the broker or the coordinator does not answer yet). */
export const START_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 5_000, jitter: 'equal' };

/** Between restarts after kafkajs gave up on a member; reset once the group runs again. */
export const RESTART_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 10_000, jitter: 'equal' };

/** What the restart policy drives: one TrackedConsumer. */
export interface Restartable {
  /** Connects, subscribes and runs a new member; throws when it cannot (yet). */
  run(): Promise<void>;
  /** Disconnects the current member, if any, ignoring errors. */
  disconnect(): Promise<void>;
  isStopping(): boolean;
  /** A start failed with this message (reported by /health/ready as the group's last error). */
  failed(message: string): void;
  /** A restart is under way: the group is down. */
  restarting(): void;
}

/**
 * Starts a consumer group member, retrying until it works or the process stops, and starts a new one
 * when kafkajs gives up on it (a crash with `restart: false` leaves a kafkajs consumer stopped for
 * good). Meanwhile the group is reported down; see ConsumerWatchdog for when the process gives up.
 */
export class ConsumerRestarts {
  private restartingNow?: Promise<void>;
  /** A crash kafkajs will not recover from happened while a restart was under way: restart again. */
  private crashedWhileRestarting = false;
  /** Restarts since the group last ran, for the backoff between them. */
  private restarts = 0;

  constructor(
    private readonly target: Restartable,
    private readonly logger: Logger,
  ) {}

  /** Starts consuming; retried with backoff (and jitter) until it works or the process stops. */
  async start(): Promise<void> {
    if (this.target.isStopping()) return;
    await retry(() => this.target.run(), START_BACKOFF, {
      isStopped: () => this.target.isStopping(),
      onRetry: async (err, delay, attempt) => {
        const message = (err as Error).message;
        this.target.failed(message);
        this.logger.warn(`cannot start yet (attempt ${attempt}, next in ${delay} ms): ${message}`);
        await this.target.disconnect();
      },
    }).catch(() => undefined); // thrown only once stopping: START_BACKOFF retries for ever
  }

  /** The group runs again: the next restart waits the shortest time. */
  joined(): void {
    this.restarts = 0;
  }

  /** Starts a new member after a crash kafkajs does not recover from. */
  restart(): void {
    if (this.target.isStopping()) return;
    if (this.restartingNow) {
      // kafkajs' run() does not throw when the join fails: it reports a crash and returns, so the
      // restart under way would end as if it had worked.
      this.crashedWhileRestarting = true;
      return;
    }
    this.target.restarting();
    const delay = backoffDelay(RESTART_BACKOFF, ++this.restarts);
    this.restartingNow = (async () => {
      await this.target.disconnect();
      await sleep(delay);
      await this.start();
    })().finally(() => {
      this.restartingNow = undefined;
      if (this.crashedWhileRestarting) {
        this.crashedWhileRestarting = false;
        this.restart();
      }
    });
  }
}
