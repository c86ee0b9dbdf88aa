import { Injectable } from '@nestjs/common';
import kafkajs from 'kafkajs';
import { newObjectId } from '../common/ids.js';
import { KafkaProducer, type OutgoingMessage } from '../kafka/producer.js';
import { inputTopics, Topics } from '../kafka/topics.js';
import { EVENT_TYPES, type EventType } from '../contracts/event-types.js';
import { validateEventData } from './event-schema.js';

export class InvalidEventError extends Error {
  constructor(readonly reason: string) {
    super(`invalid event: ${reason}`);
  }
}

export interface Published {
  event_id: string;
  topic: string;
}

type Send = (topic: string, message: OutgoingMessage) => Promise<void>;

/**
 * Validates an event's `data`, gives it an `event_id` (24 hex) when it has none, and publishes it
 * keyed by tenant_id. Resolves as soon as Kafka acknowledges (acks=all): delivery happens later,
 * elsewhere, and never holds up the producer.
 */
export class EventPublisherCore {
  constructor(
    private readonly send: Send,
    private readonly inputTopics: Record<EventType, string>,
  ) {}

  async publish(type: EventType, data: Record<string, unknown>): Promise<Published> {
    if (!EVENT_TYPES.includes(type)) throw new InvalidEventError(`type must be one of ${EVENT_TYPES.join(', ')}`);
    const withId = { ...data, event_id: (data.event_id as string | undefined) ?? newObjectId() };
    const checked = validateEventData(type, withId);
    if (!checked.ok) throw new InvalidEventError(checked.reason);
    const topic = this.inputTopics[type];
    await this.send(topic, { key: checked.data.tenant_id, value: JSON.stringify(withId) });
    return { event_id: withId.event_id, topic };
  }
}

/** The publisher as a NestJS provider (the service's own CLI and tests use it). */
@Injectable()
export class EventPublisher extends EventPublisherCore {
  constructor(kafka: KafkaProducer, topics: Topics) {
    super((topic, message) => kafka.send(topic, message), topics.input);
  }
}

/**
 * The publisher for other Node services, without NestJS:
 *
 *   const rift = await createEventPublisher({ brokers: ['kafka:9092'] });
 *   await rift.publish('click', { tenant_id, link_id: 'summer-sale', timestamp: new Date().toISOString() });
 *   await rift.close();
 */
export async function createEventPublisher(opts: { brokers: string[]; topicPrefix?: string; clientId?: string; logLevel?: kafkajs.logLevel }) {
  const { Kafka, Partitioners, logLevel } = kafkajs;
  const kafka = new Kafka({ clientId: opts.clientId ?? 'rift-publisher', brokers: opts.brokers, logLevel: opts.logLevel ?? logLevel.WARN });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const core = new EventPublisherCore(
    async (topic, message) => {
      await producer.send({ topic, acks: -1, messages: [message] });
    },
    inputTopics(opts.topicPrefix ?? 'rift'),
  );
  return {
    publish: (type: EventType, data: Record<string, unknown>) => core.publish(type, data),
    close: () => producer.disconnect(),
  };
}
