import { Injectable } from '@nestjs/common';
import { ConsumerRunner } from '../kafka/consumer-runner.js';
import { Topics } from '../kafka/topics.js';
import { InputHandler } from './input-handler.js';
import { RetryHandler } from './retry-handler.js';
import { TIER_MAX_BYTES_PER_PARTITION } from './tuning.js';

/**
 * Runs the dispatcher's two consumer groups (names from Topics.groups): `rift-dispatcher` on the input
 * topics and `rift-dispatcher-retry` on the retry tiers (separate, so a paused tier never slows new events).
 * ConsumerRunner starts them once the topics exist; SIGTERM drains in-flight attempts (up to
 * SHUTDOWN_TIMEOUT_MS) and commits before leaving.
 */
@Injectable()
export class DispatcherService {
  constructor(consumers: ConsumerRunner, topics: Topics, inputHandler: InputHandler, retryHandler: RetryHandler) {
    consumers.add({ groupId: topics.groups.dispatcher, topics: Object.values(topics.input), handler: inputHandler, partitionsConsumedConcurrently: 6 });
    // A paused tier partition is re-read from its head on resume: keep each read small.
    consumers.add({
      groupId: topics.groups.retry,
      topics: topics.retryTopics(),
      handler: retryHandler,
      partitionsConsumedConcurrently: 6,
      maxBytesPerPartition: TIER_MAX_BYTES_PER_PARTITION,
    });
  }
}
