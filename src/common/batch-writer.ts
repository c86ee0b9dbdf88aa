import { untilSuccess } from './retry.js';

export interface BatchWriterOptions<T> {
  /** Most items per write. */
  maxBatch: number;
  /** How long the first item of a batch waits for others. */
  lingerMs: number;
  /** Writes one batch; retried with backoff until it succeeds. */
  write: (items: T[]) => Promise<void>;
  onRetry: (err: unknown, delayMs: number, items: number) => void;
}

/**
 * Gathers items for a few milliseconds (or until a batch is full) and writes them in order, one
 * batch at a time, retrying a failed write until it succeeds. `add` applies backpressure: it waits
 * while four batches are already waiting, then returns a promise settled once its item is written
 * (a consumer commits the item's offset only then).
 */
export class BatchWriter<T> {
  private pending: { item: T; done: () => void }[] = [];
  private timer?: NodeJS.Timeout;
  private writing = Promise.resolve();
  /** Items taken from `pending` whose write has not finished. */
  private writingItems = 0;

  constructor(private readonly opts: BatchWriterOptions<T>) {}

  async add(item: T): Promise<{ written: Promise<void> }> {
    // Not a spin: `writing` settles only when every queued write has finished, which lowers the count.
    while (this.pending.length + this.writingItems >= this.opts.maxBatch * 4) await this.writing;
    const written = new Promise<void>((done) => {
      this.pending.push({ item, done });
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
      await untilSuccess(
        () => this.opts.write(batch.map((b) => b.item)),
        (err, delay) => this.opts.onRetry(err, delay, batch.length),
      );
      this.writingItems -= batch.length;
      batch.forEach((b) => b.done());
    });
  }
}
