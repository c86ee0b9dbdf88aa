import { EVENT_TYPES } from '../contracts/event-types.js';
import type { JsonSchema } from './data-schemas.js';
import { FAILURE_CLASS_LIST } from '../contracts/failure.js';

/**
 * JSON Schemas of the pipeline's own messages. They mirror `DeliveryJob` (src/delivery/delivery-job.ts),
 * the DLQ entry (src/delivery/deliverer.ts) and `AttemptRecord` (src/attempt-log/attempt-record.ts);
 * contract.spec.ts checks that messages built by that code validate and that the parsers refuse what
 * the schemas refuse.
 */
const id24 = { type: 'string', pattern: '^[0-9a-f]{24}$' };
const eventType = { type: 'string', enum: [...EVENT_TYPES] };

const historyEntry: JsonSchema = {
  type: 'object',
  description: 'one failed attempt',
  properties: {
    attempt: { type: 'integer', minimum: 1 },
    at: { type: 'string', format: 'date-time' },
    duration_ms: { type: 'number', minimum: 0 },
    status: { type: 'integer', description: "the endpoint's status code, if it answered" },
    error: { type: 'string', description: `the failure class (src/contracts/failure.ts), one of: ${FAILURE_CLASS_LIST}` },
  },
  required: ['attempt', 'at', 'duration_ms'],
};

export const deliveryJobSchema: JsonSchema = {
  type: 'object',
  title: 'DeliveryJob',
  description: 'A delivery of one event to one webhook between attempts. `body` is the exact payload text: every attempt sends these bytes.',
  properties: {
    v: { const: 1 },
    webhook_id: id24,
    tenant_id: id24,
    event_id: id24,
    event_type: eventType,
    body: { type: 'string', description: 'the webhook body, {"event","timestamp","data"}, as sent' },
    attempts: { type: 'integer', minimum: 0, description: 'attempts made so far (0 for a requeued delivery: retry endpoint, recovery, DLQ replay)' },
    due_at: { type: 'number', description: 'epoch milliseconds at which the next attempt is due (jitter and any Retry-After included)' },
    jitter_ms: { type: 'integer', minimum: 0, description: "the random delay added to the schedule for this retry (up to 10 % of the tier's delay)" },
    sent: {
      type: 'integer',
      minimum: 0,
      description: 'requests actually sent so far (X-Rift-Attempt of the next one is this + 1); absent in older jobs: `attempts`',
    },
    deferrals: { type: 'integer', minimum: 0, description: 'times this attempt was parked because the webhook was at its concurrency cap' },
    saturated_since: {
      type: 'number',
      description: 'epoch milliseconds since which this attempt has waited for a slot of its webhook (WEBHOOK_MAX_SATURATION_WAIT_MS)',
    },
    history: { type: 'array', items: historyEntry },
  },
  required: ['v', 'webhook_id', 'tenant_id', 'event_id', 'body', 'attempts', 'due_at', 'history'],
};

export const deadLetterSchema: JsonSchema = {
  ...deliveryJobSchema,
  title: 'DeadLetter',
  description: 'A delivery whose every attempt failed: the job as it was after the last attempt, with when and why.',
  properties: {
    ...(deliveryJobSchema.properties as Record<string, unknown>),
    dead_at: { type: 'string', format: 'date-time' },
    last_error: { type: 'string' },
  },
  required: [...(deliveryJobSchema.required as string[]), 'dead_at'],
};

export const attemptRecordSchema: JsonSchema = {
  type: 'object',
  title: 'AttemptRecord',
  description: 'One delivery attempt, as written to the attempt log (GET /v1/webhooks/{id}/deliveries).',
  properties: {
    id: id24,
    tenant_id: id24,
    webhook_id: id24,
    event_id: id24,
    event_type: eventType,
    attempt: { type: 'integer', minimum: 1, maximum: 32767 },
    tier: {
      type: 'string',
      maxLength: 16,
      description: '"first", the retry tier that made the attempt ("1s", "25s", "200ms"), or "test" (POST /v1/webhooks/{id}/test)',
    },
    outcome: { type: 'string', enum: ['succeeded', 'failed'] },
    status_code: { type: ['integer', 'null'], minimum: 100, maximum: 599 },
    error: { type: ['string', 'null'], maxLength: 64 },
    next: { type: 'string', enum: ['delivered', 'retry', 'dead_letter', 'none'], description: '"none": a test send (never retried)' },
    duration_ms: { type: 'number', minimum: 0 },
    at: { type: 'string', format: 'date-time', description: 'when the attempt started' },
  },
  required: ['id', 'tenant_id', 'webhook_id', 'event_id', 'event_type', 'attempt', 'tier', 'outcome', 'status_code', 'error', 'next', 'duration_ms', 'at'],
  additionalProperties: false,
};

export const operationalEventSchema: JsonSchema = {
  type: 'object',
  title: 'OperationalEvent',
  description: 'A change operators may alert on: a webhook disabled (reason gone, failing or manual) or enabled again, or a delivery handed to the DLQ.',
  properties: {
    type: { type: 'string', enum: ['webhook.disabled', 'webhook.enabled', 'delivery.dead_lettered'] },
    webhook_id: id24,
    tenant_id: id24,
    at: { type: 'string', format: 'date-time' },
    reason: {
      type: 'string',
      description: 'webhook.disabled: gone, failing or manual; delivery.dead_lettered: the last error (http_503, http_410, webhook_disabled, ...)',
    },
    event_id: id24,
    event_type: eventType,
    attempts: { type: 'integer', minimum: 0 },
  },
  required: ['type', 'webhook_id', 'tenant_id', 'at'],
  additionalProperties: false,
};

const header = (description: string, extra: JsonSchema = {}) => ({ type: 'string', description, ...extra });

export const dlqHeaders: JsonSchema = {
  type: 'object',
  properties: {
    'rift-webhook-id': header('the webhook', { pattern: '^[0-9a-f]{24}$' }),
    'rift-event-id': header('the event (X-Rift-Event-Id)', { pattern: '^[0-9a-f]{24}$' }),
    'rift-last-error': header('error class of the last attempt'),
  },
  required: ['rift-webhook-id', 'rift-event-id', 'rift-last-error'],
};

export const invalidHeaders: JsonSchema = {
  type: 'object',
  properties: {
    'rift-reason': header('why the message was refused (at most 1,000 characters)'),
    'rift-source-topic': header('the input topic it came from'),
    'rift-source-partition': header('its partition', { pattern: '^[0-9]+$' }),
    'rift-source-offset': header('its offset', { pattern: '^[0-9]+$' }),
    'rift-set-aside-at': header('when it was set aside (RFC 3339)', { format: 'date-time' }),
    'rift-reference': header('"true" when the value is only the first 1 KiB of a message too large to produce (KAFKA_MAX_MESSAGE_BYTES)'),
    'rift-target-topic': header('for a reference: the topic the message was going to'),
    'rift-size-bytes': header('for a reference: the size of the message that did not fit', { pattern: '^[0-9]+$' }),
  },
  required: ['rift-reason'],
};
