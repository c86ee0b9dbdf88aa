import type { Logger } from '@nestjs/common';
import { BatchWriter } from '../common/batch-writer.js';
import { isDataError } from './pg-errors.js';

export interface DbBatchWriterOptions<T> {
  /** What the items are, for the log: "events", "attempt records". */
  what: string;
  maxBatch: number;
  lingerMs: number;
  /** One statement (or transaction) for the batch; idempotent, since a failed batch is retried whole. */
  write: (items: T[]) => Promise<void>;
  logger: Logger;
}

/**
 * A BatchWriter that writes to PostgreSQL: a data error (SQLSTATE class 22, 23, 54) isolates the
 * rows that cause it, any other failure (the database does not answer) is retried with a warning.
 * A consumer admits a message as `{ work: (await writer.add(item)).written }`: its offset moves once
 * the row is stored, or once it is set aside if that row can never be.
 */
export function dbBatchWriter<T>(opts: DbBatchWriterOptions<T>): BatchWriter<T> {
  return new BatchWriter<T>({
    maxBatch: opts.maxBatch,
    lingerMs: opts.lingerMs,
    write: opts.write,
    isPermanent: isDataError,
    onRetry: (err, delay, n) => opts.logger.warn(`storing ${n} ${opts.what} failed, retrying in ${delay} ms: ${(err as Error).message.split('\n')[0]}`),
  });
}
