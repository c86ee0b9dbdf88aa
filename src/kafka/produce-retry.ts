import type { Producer, ProducerBatch, RecordMetadata, RetryOptions } from 'kafkajs';

/**
 * The producer's retry options: kafkajs' own retries OFF. kafkajs 2.2.4 retries a produce that
 * spans several brokers with one response map shared across attempts: a broker that answered in an
 * earlier attempt is skipped in the next one, even when partitions that failed elsewhere have moved
 * to it meanwhile (a leader election), and `send` then resolves without ever writing those messages
 * (kafkajs PR #1798). On the 3-node cluster this lost attempt records and retry jobs whose input
 * offsets were then committed (test/cluster-failover.cluster-spec.ts, before this change).
 */
export const PRODUCER_RETRY: RetryOptions = { retries: 0 };

/**
 * `producer.sendBatch`, retried here instead: every retry is a fresh send of the whole batch, so
 * messages already written are written again (duplicates, which at-least-once allows and consumers
 * deduplicate by event id) and none is skipped. Non-retriable errors (too large, unauthorized) are
 * not retried. 8 retries from 250 ms doubling to 5 s: about 25 s, longer than a leader election.
 */
export async function sendBatchWithRetry(producer: Producer, batch: ProducerBatch, stop: () => boolean = () => false): Promise<RecordMetadata[]> {
  for (let retry = 0, delay = 250; ; retry++, delay = Math.min(delay * 2, 5_000)) {
    try {
      return await producer.sendBatch(batch);
    } catch (err) {
      // kafkajs wraps a retriable failure in KafkaJSNumberOfRetriesExceeded (its retries being 0) and
      // a non-retriable one in KafkaJSNonRetriableError.
      const retriable = (err as Error).name === 'KafkaJSNumberOfRetriesExceeded';
      if (!retriable || retry >= 8 || stop()) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
