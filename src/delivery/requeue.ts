import type { KafkaProducer } from '../kafka/producer.js';
import type { Topics } from '../kafka/topics.js';
import type { DeliveryJob } from '../contracts/delivery-job.js';

export class NothingToRequeueInto extends Error {
  constructor() {
    super('WEBHOOK_RETRY_SCHEDULE has a single attempt, so there is no retry tier to requeue into');
  }
}

/**
 * Starts a delivery over: the job goes to the first retry tier with no attempts made and due now,
 * so it gets the whole retry schedule again (the retry consumer fires a due job at once). Used by
 * DLQ replay and by the per-delivery retry endpoint. Resolves once Kafka has the job.
 */
export async function requeue(kafka: KafkaProducer, topics: Topics, job: Omit<DeliveryJob, 'v' | 'attempts' | 'due_at'>): Promise<void> {
  const tier = topics.tiers[0];
  if (!tier) throw new NothingToRequeueInto();
  const fresh: DeliveryJob = { ...job, v: 1, attempts: 0, due_at: Date.now() };
  await kafka.send(tier.topic, { key: job.webhook_id, value: JSON.stringify(fresh) });
}
