import { loadConfig, type AppConfig } from '../config/config.js';
import { MAX_JSON_DEPTH } from '../events/input-guards.js';
import { Topics } from '../kafka/topics.js';
import { EVENT_TYPES } from '../contracts/event-types.js';
import { dataSchemas, type JsonSchema } from './data-schemas.js';
import { attemptRecordSchema, deadLetterSchema, deliveryJobSchema, dlqHeaders, invalidHeaders, operationalEventSchema } from './pipeline-schemas.js';

/** The parts of the configuration the contract depends on (topic names, tiers, size limit). */
export type ContractConfig = Pick<AppConfig, 'kafka' | 'delivery' | 'events'>;

const KAFKA_BINDING = '0.5.0';

const tenantKey = { type: 'string', pattern: '^[0-9a-f]{24}$', description: "tenant_id: keeps a tenant's events in order on one partition" };
const webhookKey = { type: 'string', pattern: '^[0-9a-f]{24}$', description: 'webhook_id' };
const ref = (path: string) => ({ $ref: path });

const REJECTED = (maxBytes: number) =>
  [
    'Rejected messages are not lost: they are copied, original key and bytes, to `<prefix>.events.invalid` with the reason in',
    'the `rift-reason` header, and the partition moves on. A message is rejected when:',
    '- it is empty, or larger than EVENT_MAX_BYTES (' + maxBytes + ' bytes here);',
    '- it is not JSON, or not a JSON object;',
    '- it breaks the payload schema: a required field missing, a field of the wrong type or format (tenant_id and event_id 24',
    '  lowercase hex, timestamp RFC 3339 with an offset), a field not in the schema, amount_cents without currency or the reverse;',
    '- amount_cents is not a safe integer (over 2^53 - 1), never rounded;',
    '- timestamp is RFC 3339 but cannot be held: a leap second (:60), year 0000, an offset of 24 h or more, more than 9',
    '  fraction digits, or an instant outside the years 0001-9999 in UTC (accepted ones are delivered in UTC with Z);',
    '- it nests objects or arrays deeper than ' + MAX_JSON_DEPTH + ' levels anywhere (the data object is level 1);',
    '- any string or key holds U+0000 or a lone UTF-16 surrogate;',
    '- its tenant_id names no tenant.',
    'Without `event_id` an id is derived from topic, partition and offset (stable across redeliveries); give one to deduplicate',
    'your own retries. The key should be tenant_id (ordering per tenant); the dispatcher reads tenant_id from the value.',
  ].join('\n');

/**
 * The AsyncAPI 3.1 document of every Kafka topic, built from the live topic names and tiers and from
 * the JSON Schemas generated from the validating classes. Served at GET /asyncapi.json; docs/asyncapi.json
 * is this document for the default configuration (contract.spec.ts keeps the two identical).
 */
export function buildAsyncApi(config: ContractConfig): Record<string, unknown> {
  const topics = new Topics(config as AppConfig);
  const data = dataSchemas();
  const schemas: Record<string, JsonSchema> = {};
  const messages: Record<string, unknown> = {};
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const bindings = { kafka: { partitions: config.kafka.partitions, replicas: config.kafka.replicationFactor, bindingVersion: KAFKA_BINDING } };

  for (const type of EVENT_TYPES) {
    const { $schema: _draft, $id: _id, ...schema } = data[type];
    schemas[`${type}Data`] = schema;
    messages[`${type}Event`] = {
      name: `${type}Event`,
      title: `${type} event`,
      summary: `The \`data\` object of a ${type} webhook, published by a producer service.`,
      contentType: 'application/json',
      payload: ref(`#/components/schemas/${type}Data`),
      bindings: { kafka: { key: tenantKey, bindingVersion: KAFKA_BINDING } },
    };
    channels[`${type}Events`] = {
      address: topics.input[type],
      title: `${type} events (input)`,
      description: REJECTED(config.events.maxBytes),
      messages: { [`${type}Event`]: ref(`#/components/messages/${type}Event`) },
      bindings,
    };
    operations[`publish${cap(type)}`] = {
      action: 'send',
      title: `Publish a ${type} event`,
      summary: `Producer services publish ${type} events here (acks=all recommended). Any Kafka client works.`,
      channel: ref(`#/channels/${type}Events`),
      messages: [ref(`#/channels/${type}Events/messages/${type}Event`)],
    };
  }
  schemas.DeliveryJob = deliveryJobSchema;
  schemas.DeadLetter = deadLetterSchema;
  schemas.AttemptRecord = attemptRecordSchema;
  schemas.OperationalEvent = operationalEventSchema;
  /** A JSON message of the pipeline, keyed by webhook id, its payload one of the schemas above. */
  const pipelineMessage = (name: string, title: string, schema: string, extra: Record<string, unknown> = {}) => ({
    name,
    title,
    contentType: 'application/json',
    payload: ref(`#/components/schemas/${schema}`),
    ...extra,
    bindings: { kafka: { key: webhookKey, bindingVersion: KAFKA_BINDING } },
  });
  messages.deliveryJob = pipelineMessage('deliveryJob', 'Delivery job', 'DeliveryJob');
  messages.deadLetter = pipelineMessage('deadLetter', 'Dead letter', 'DeadLetter', { headers: dlqHeaders });
  messages.invalidEvent = {
    name: 'invalidEvent',
    title: 'Invalid event',
    summary: 'The refused input message, its original key and bytes (any content).',
    payload: { description: 'the original bytes, unchanged (not necessarily JSON)' },
    headers: invalidHeaders,
    bindings: { kafka: { key: { type: 'string', description: 'the original key, unchanged' }, bindingVersion: KAFKA_BINDING } },
  };
  messages.operationalEvent = pipelineMessage('operationalEvent', 'Operational event', 'OperationalEvent');
  messages.attemptRecord = pipelineMessage('attemptRecord', 'Attempt record', 'AttemptRecord');

  for (const topic of topics.retryTopics()) {
    const tiers = topics.tiers.filter((t) => t.topic === topic);
    const key = `retry${tiers[0]!.label}`;
    channels[key] = {
      address: topic,
      title: `retry tier ${tiers[0]!.label}`,
      description:
        `Deliveries waiting for attempt ${tiers.map((t) => t.attempt).join(' or ')}, due ${tiers[0]!.label} after the previous failure (\`due_at\`). ` +
        'Also where the retry endpoint, recoveries and DLQ replays queue a delivery (attempts 0, due at once). Internal: read only by <prefix>-dispatcher-retry.',
      messages: { deliveryJob: ref('#/components/messages/deliveryJob') },
      bindings,
    };
  }
  // The topics only the pipeline writes: [channel, topic, title, description, message].
  const written: [string, string, string, string, string][] = [
    [
      'deadLetters',
      topics.dlq,
      'dead letters',
      `Deliveries whose ${config.delivery.retrySchedule.length} attempts all failed. Read by \`rift dlq list\` / \`rift dlq replay\`; never consumed by a group.`,
      'deadLetter',
    ],
    [
      'invalidEvents',
      topics.invalid,
      'invalid events',
      'Input messages that were refused (see the input channels), kept for inspection; nothing consumes them.',
      'invalidEvent',
    ],
    [
      'attempts',
      topics.attempts,
      'delivery attempts',
      'Attempt records the dispatcher could not store in PostgreSQL itself (while the database fails or does not answer) and those of test sends; <prefix>-attempt-log writes them to PostgreSQL. Not a stream of every attempt: a dispatcher stores its records directly.',
      'attemptRecord',
    ],
    [
      'operational',
      topics.operational,
      'operational events',
      'webhook.disabled, webhook.enabled and delivery.dead_lettered, for alerting; nothing in the pipeline consumes them.',
      'operationalEvent',
    ],
  ];
  for (const [name, address, title, description, message] of written) {
    channels[name] = { address, title, description, messages: { [message]: ref(`#/components/messages/${message}`) }, bindings };
  }
  for (const [name, channel] of [
    ['deadLetters', 'deadLetter'],
    ['invalidEvents', 'invalidEvent'],
    ['attempts', 'attemptRecord'],
    ['operational', 'operationalEvent'],
  ] as const) {
    operations[`produce${cap(name)}`] = {
      action: 'send',
      title: `The dispatcher writes ${name}`,
      channel: ref(`#/channels/${name}`),
      messages: [ref(`#/channels/${name}/messages/${channel}`)],
    };
  }
  for (const type of EVENT_TYPES) {
    operations[`dispatch${cap(type)}`] = {
      action: 'receive',
      title: `The dispatcher reads ${type} events`,
      summary: 'Groups <prefix>-dispatcher (delivery) and <prefix>-event-store (storage) read every input topic.',
      channel: ref(`#/channels/${type}Events`),
      messages: [ref(`#/channels/${type}Events/messages/${type}Event`)],
    };
  }

  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Rift Webhooks: Kafka topics',
      version: '1',
      description:
        "Every topic of the pipeline. Producers publish to the three input topics; the others are the pipeline's own " +
        `(prefix "${config.kafka.topicPrefix}", retry schedule ${config.delivery.retrySchedule.join(',')} s). Generated from the classes ` +
        'the dispatcher validates with; served at GET /asyncapi.json.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: config.kafka.brokers[0] ?? '127.0.0.1:9092', protocol: 'kafka', description: 'KAFKA_BROKERS (the first broker)' },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** The configuration the committed docs/ files describe: the service's defaults, as loadConfig reads them. */
export function defaultContractConfig(): ContractConfig {
  const { kafka, delivery, events } = loadConfig({ RIFT_SECRET_KEY: '00'.repeat(32) });
  return { kafka, delivery, events };
}
