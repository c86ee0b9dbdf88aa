import { retry, UNTIL_SUCCESS } from './backoff.js';

export interface BatchWriterOptions<T> {
  /** Most items per write. */
  maxBatch: number;
  /** How long the first item of a batch waits for others. */
  lingerMs: number;
  /** Writes one batch. */
  write: (items: T[]) => Promise<void>;
  onRetry: (err: unknown, delayMs: number, items: number) => void;
  /**
   * True for an error the items themselves cause (a PostgreSQL data error): the batch is retried a
   * few times, then split in halves until the items that fail are alone; those fail (their `written`
   * rejects, and the consumer sets them aside) and every other item is written. Any other error
   * (the database is unreachable) is retried until it succeeds.
   */
  isPermanent?: (err: unknown) => boolean;
}

/** Tries of a batch failing with a permanent error before it is split. */
const PERMANENT_TRIES = 3;

interface Pending<T> {
  item: T;
  done: () => void;
  fail: (err: unknown) => void;
}

/**
 * Gathers items for a few milliseconds (or until a batch is full) and writes them in order, one
 * batch at a time. `add` applies backpressure: it waits while four batches are already waiting, then
 * returns a promise settled once its item is written (a consumer commits the item's offset only
 * then), or rejected if that one item can never be written.
 */
export class BatchWriter<T> {
  private pending: Pending<T>[] = [];
  private timer?: NodeJS.Timeout;
  private writing = Promise.resolve();
  /** Items taken from `pending` whose write has not finished. */
  private writingItems = 0;

  constructor(private readonly opts: BatchWriterOptions<T>) {}

  async add(item: T): Promise<{ written: Promise<void> }> {
    // Not a spin: `writing` settles only when every queued write has finished, which lowers the count.
    while (this.pending.length + this.writingItems >= this.opts.maxBatch * 4) await this.writing;
    const written = new Promise<void>((done, fail) => {
      this.pending.push({ item, done, fail });
      if (this.pending.length >= this.opts.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.lingerMs);
    });
    return { written };
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, this.opts.maxBatch);
    if (batch.length === 0) return;
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    this.writingItems += batch.length;
    this.writing = this.writing.then(async () => {
      try {
        await this.writeAll(batch);
      } catch (err) {
        batch.forEach((b) => b.fail(err)); // never leave the chain rejected: later batches must still be written
      } finally {
        this.writingItems -= batch.length;
      }
    });
  }

  /** Writes a batch, retrying transient errors forever and isolating the items of permanent ones. */
  private async writeAll(batch: Pending<T>[]): Promise<void> {
    let permanent = 0;
    try {
      await retry(() => this.opts.write(batch.map((b) => b.item)), UNTIL_SUCCESS, {
        retryIf: (err) => !(this.opts.isPermanent?.(err) && ++permanent >= PERMANENT_TRIES),
        onRetry: (err, delay) => this.opts.onRetry(err, delay, batch.length),
      });
    } catch (err) {
      // Only a permanent error tried PERMANENT_TRIES times gets here.
      if (batch.length === 1) return batch[0]!.fail(err);
      const half = Math.ceil(batch.length / 2);
      await this.writeAll(batch.slice(0, half));
      await this.writeAll(batch.slice(half));
      return;
    }
    batch.forEach((b) => b.done());
  }
}
