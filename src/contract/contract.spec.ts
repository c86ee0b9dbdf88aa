import 'reflect-metadata';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parseAttemptRecord } from '../contracts/attempt-record.js';
import { parseDeliveryJob } from '../contracts/delivery-job.js';
import { validateEventData } from '../events/event-schema.js';
import { EVENT_TYPES, type EventType } from '../contracts/event-types.js';
import { buildAsyncApi, defaultContractConfig } from './asyncapi.js';
import { dataSchemas } from './data-schemas.js';
import { attemptRecordSchema, deliveryJobSchema } from './pipeline-schemas.js';

const committed = (file: string) => JSON.parse(readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8'));
// ajv and ajv-formats are CommonJS: under ESM their default exports may arrive wrapped.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as unknown as typeof AjvModule.default;
const ajv = new Ajv({ strict: false, allErrors: true });
(((addFormats as unknown as { default?: unknown }).default ?? addFormats) as (a: typeof ajv) => void)(ajv);
const schemas = dataSchemas();
const schemaCheck = Object.fromEntries(EVENT_TYPES.map((t) => [t, ajv.compile(schemas[t])])) as Record<EventType, ValidateFunction>;

describe('the Kafka contract (docs/)', () => {
  it('docs/asyncapi.json and docs/schemas/*.json are what the classes generate (run `npm run contract` after changing them)', () => {
    expect(committed('asyncapi.json')).toEqual(buildAsyncApi(defaultContractConfig()));
    for (const type of EVENT_TYPES) expect(committed(`schemas/${type}.json`)).toEqual(schemas[type]);
  });

  it('names every topic of the pipeline', () => {
    const doc = buildAsyncApi({ ...defaultContractConfig(), kafka: { ...defaultContractConfig().kafka, topicPrefix: 'acme' } }) as {
      channels: Record<string, { address: string }>;
    };
    expect(
      Object.values(doc.channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual([
      'acme.events.attribution',
      'acme.events.click',
      'acme.events.conversion',
      'acme.events.invalid',
      'acme.webhooks.attempts',
      'acme.webhooks.dlq',
      'acme.webhooks.operational',
      'acme.webhooks.retry.1s',
      'acme.webhooks.retry.25s',
      'acme.webhooks.retry.5s',
    ]);
  });
});

// Values around every rule of the classes: valid ones, and each way to break a rule.
const hex24 = fc.stringMatching(/^[0-9a-f]{24}$/);
const id = fc.oneof(
  hex24,
  hex24.map((s) => s.toUpperCase()),
  fc.constantFrom('abc', '', 'g'.repeat(24)),
  fc.constant(null),
  fc.integer(),
);
const timestamp = fc.oneof(
  fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-03-24T15:00:00Z',
    '2026-03-24t15:00:00z',
    '2026-03-24T15:00:00.5+05:30',
    '2026-03-24T15:00:00-08:00',
    '2016-12-31T23:59:60Z',
    '2026-03-24',
    '2026-03-24T15:00:00',
    '2026-03-24 15:00:00Z',
    '2026-03-24T15:00Z',
    '2026-02-30T00:00:00Z',
    '2026-03-24T15:00:00+0530',
    '2026-03-24T15:00:00+05',
    '2026-03-24T24:00:00Z',
    '2026-03-24T12:00:60Z',
    '20260324T150000Z',
    'now',
    '',
  ),
  fc.constant(null),
  fc.integer(),
);
const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer({ min: max - 2, max: max + 2 }).map((n) => 'x'.repeat(n)),
    fc.constant('😀'.repeat(max)),
    fc.constant(null),
    fc.integer(),
    fc.boolean(),
  );
const link = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,10}$/),
  fc.constantFrom('-bad', '', 'a b', 'x'.repeat(128), 'x'.repeat(129)),
  fc.integer(),
  fc.constant(null),
);
const common = { event_id: id, tenant_id: id, link_id: link, timestamp };
const extra = fc.constantFrom({}, { unknown_field: 1 }, { event: 'click' });
const arbitraries: Record<EventType, fc.Arbitrary<Record<string, unknown>>> = {
  click: fc.record({ ...common, user_agent: text(2048), referer: text(2048), platform: text(64) }, { requiredKeys: [] }),
  attribution: fc.record({ ...common, install_id: text(256), app_version: text(64) }, { requiredKeys: [] }),
  conversion: fc.record(
    {
      ...common,
      source_id: text(128),
      conversion_type: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), fc.constantFrom('', 'a b', 'x'.repeat(65)), fc.constant(null)),
      user_id: text(256),
      amount_cents: fc.oneof(fc.integer({ min: -5, max: 1_000_000 }), fc.double({ noNaN: true }), fc.constantFrom('100', null)),
      currency: fc.oneof(fc.constantFrom('usd', 'eur', 'USD', 'us', 'usdt', ''), fc.constant(null)),
      metadata: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), fc.constant([]), fc.constant('x'), fc.constant(null)),
    },
    { requiredKeys: [] },
  ),
};

describe('the JSON Schemas and the validating classes agree', () => {
  it.each(EVENT_TYPES)('%s: the schema accepts exactly what the dispatcher accepts', (type) => {
    // Biased towards valid objects, so both verdicts are exercised.
    const valid = fc.record({
      tenant_id: hex24,
      link_id: fc.constant('summer-sale'),
      timestamp: fc.constant('2026-03-24T15:00:00Z'),
      ...(type === 'attribution' ? { install_id: fc.constant('i-1') } : {}),
      ...(type === 'conversion' ? { conversion_type: fc.constant('signup') } : {}),
    });
    const arb = fc.oneof(
      valid,
      fc.tuple(valid, arbitraries[type], extra).map(([v, a, x]) => ({ ...v, ...a, ...x })),
      fc.tuple(valid, arbitraries[type]).map(([v, a]) => ({ ...a, ...v })),
    );
    let accepted = 0;
    fc.assert(
      fc.property(arb, (value) => {
        const json = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        const byClass = validateEventData(type, json).ok;
        const bySchema = schemaCheck[type](json);
        if (byClass) accepted++;
        if (byClass !== bySchema)
          throw new Error(
            `class says ${byClass}, schema says ${bySchema} for ${JSON.stringify(json).slice(0, 400)}: ${ajv.errorsText(schemaCheck[type].errors)}`,
          );
      }),
      { numRuns: 1500 },
    );
    expect(accepted).toBeGreaterThan(30);
  });
});

describe('the pipeline schemas match the code that reads those messages', () => {
  const job = {
    v: 1,
    webhook_id: 'a'.repeat(24),
    tenant_id: 'b'.repeat(24),
    event_id: 'c'.repeat(24),
    event_type: 'click',
    body: '{"event":"click"}',
    attempts: 1,
    due_at: Date.now(),
    deferrals: 0,
    history: [{ attempt: 1, at: new Date().toISOString(), duration_ms: 12.5, status: 503, error: 'http_503' }],
  };
  const record = {
    id: 'd'.repeat(24),
    tenant_id: 'b'.repeat(24),
    webhook_id: 'a'.repeat(24),
    event_id: 'c'.repeat(24),
    event_type: 'click',
    attempt: 1,
    tier: 'first',
    outcome: 'failed',
    status_code: 503,
    error: 'http_503',
    next: 'retry',
    duration_ms: 12,
    at: new Date().toISOString(),
  };
  const jobCheck = ajv.compile(deliveryJobSchema);
  const recordCheck = ajv.compile(attemptRecordSchema);

  it('a delivery job: valid for both; without any required field, refused by both', () => {
    expect([jobCheck(job), parseDeliveryJob(Buffer.from(JSON.stringify(job))) !== null]).toEqual([true, true]);
    for (const field of deliveryJobSchema.required as string[]) {
      const { [field]: _gone, ...rest } = job as Record<string, unknown>;
      expect([field, jobCheck(rest), parseDeliveryJob(Buffer.from(JSON.stringify(rest)))]).toEqual([field, false, null]);
    }
  });

  it('an attempt record: valid for both; without any field, or with a bad value, refused by both', () => {
    expect([recordCheck(record), parseAttemptRecord(Buffer.from(JSON.stringify(record))) !== null]).toEqual([true, true]);
    for (const field of attemptRecordSchema.required as string[]) {
      const { [field]: _gone, ...rest } = record as Record<string, unknown>;
      expect([field, recordCheck(rest), parseAttemptRecord(Buffer.from(JSON.stringify(rest)))]).toEqual([field, false, null]);
    }
    for (const [field, bad] of [
      ['outcome', 'maybe'],
      ['next', 'later'],
      ['status_code', 99],
      ['attempt', 0],
      ['event_type', 'view'],
      ['id', 'x'],
    ] as const) {
      const changed = { ...record, [field]: bad };
      expect([field, recordCheck(changed), parseAttemptRecord(Buffer.from(JSON.stringify(changed)))]).toEqual([field, false, null]);
    }
  });
});
