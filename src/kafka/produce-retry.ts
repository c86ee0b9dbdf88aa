import type { Producer, ProducerBatch, RecordMetadata, RetryOptions } from 'kafkajs';
import { type BackoffPolicy, retry } from '../common/backoff.js';

/**
 * The producer's retry options: kafkajs' own retries OFF. kafkajs 2.2.4 retries a produce that
 * spans several brokers with one response map shared across attempts: a broker that answered in an
 * earlier attempt is skipped in the next one, even when partitions that failed elsewhere have moved
 * to it meanwhile (a leader election), and `send` then resolves without ever writing those messages
 * (kafkajs PR #1798). On the 3-node cluster this lost attempt records and retry jobs whose input
 * offsets were then committed (test/cluster-failover.cluster-spec.ts, before this change).
 */
export const PRODUCER_RETRY: RetryOptions = { retries: 0 };

/** Waits between whole-batch retries: 8, from 250 ms doubling to 5 s (22.75 s in all, longer than a leader election). */
export const SEND_BATCH_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 5_000, jitter: 'none', maxRetries: 8 };

/**
 * `producer.sendBatch`, retried here instead: every retry is a fresh send of the whole batch, so
 * messages already written are written again (duplicates, which at-least-once allows and consumers
 * deduplicate by event id) and none is skipped. Non-retriable errors (too large, unauthorized) are
 * not retried; retriable ones by SEND_BATCH_BACKOFF.
 */
export function sendBatchWithRetry(producer: Producer, batch: ProducerBatch, stop: () => boolean = () => false): Promise<RecordMetadata[]> {
  return retry(() => producer.sendBatch(batch), SEND_BATCH_BACKOFF, {
    // kafkajs wraps a retriable failure in KafkaJSNumberOfRetriesExceeded (its retries being 0) and
    // a non-retriable one in KafkaJSNonRetriableError.
    retryIf: (err) => (err as Error).name === 'KafkaJSNumberOfRetriesExceeded',
    isStopped: stop,
  });
}
