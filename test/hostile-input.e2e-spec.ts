import fc from 'fast-check';
import { api, createTenant, hex24, produceRaw, readTopic, registerWebhook } from './support/fixtures.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { EVENT_MAX_BYTES, hostileEvent, nested, type Hostile } from './support/hostile-events.js';
import { metric, metricSum } from './support/metrics.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, ServiceProcess, uniquePrefix } from './support/service.js';
import { waitFor } from './support/wait-for.js';

/**
 * Schema-valid hostile events from a plain Kafka client (as a new user would publish them): each
 * batch is followed by a canary that must be delivered AND counted by the stats endpoint, with no
 * consumer crash and /health/ready staying 200. Every hostile event ends delivered or set aside on
 * the invalid-events topic with a reason; none is silently lost.
 */
describe('hostile input never stops the pipeline (real Kafka, Postgres, HTTPS receiver)', () => {
  const prefix = uniquePrefix('hostile');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  let hostileTenant: { tenant_id: string; api_key: string };
  let canaryTenant: { tenant_id: string; api_key: string };
  const sent: Hostile[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, EVENT_MAX_BYTES: String(EVENT_MAX_BYTES), WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.5' });
    svc = await new ServiceProcess(env).start();
    hostileTenant = createTenant(env, 'hostile');
    canaryTenant = createTenant(env, 'canary');
    await registerWebhook(svc, hostileTenant.api_key, receiver.url('/hostile'), ['click', 'attribution', 'conversion']);
    await registerWebhook(svc, canaryTenant.api_key, receiver.url('/canary'), ['click']);
  });

  afterAll(async () => {
    await svc?.stop();
    await receiver?.stop();
    await db?.drop();
  });

  let canaries = 0;
  /** A canary click of another tenant: delivered and counted, while the service stays ready. */
  async function canary(): Promise<void> {
    canaries++;
    const link = `canary-${canaries}`;
    await produceRaw(`${prefix}.events.click`, [
      { key: canaryTenant.tenant_id, value: JSON.stringify({ tenant_id: canaryTenant.tenant_id, link_id: link, timestamp: new Date().toISOString() }) },
    ]);
    await waitFor(() => receiver.on('/canary').some((r) => JSON.parse(r.body.toString()).data.link_id === link), {
      what: `canary ${canaries} delivered`,
      timeoutMs: 30_000,
    });
    await waitFor(async () => (await api(svc, canaryTenant.api_key, 'GET', `/v1/links/${link}/stats`)).body?.clicks === 1, {
      what: `canary ${canaries} counted`,
      timeoutMs: 30_000,
    });
    const ready = await fetch(`${svc.url}/health/ready`);
    expect([ready.status, await ready.text()]).toEqual([200, expect.any(String)]);
    expect(svc.output).not.toMatch(/consumer crashed|RangeError|Maximum call stack/);
  }

  it('handles each known member of the class: deep nesting, huge numbers, odd date-times, U+0000, lone surrogates', async () => {
    const t = hostileTenant.tenant_id;
    const conv = (extra: string, ts = '2026-03-24T15:00:00Z') => {
      const eventId = hex24();
      return {
        type: 'conversion' as const,
        eventId,
        json: `{"event_id":"${eventId}","tenant_id":"${t}","link_id":"hostile","conversion_type":"deposit","timestamp":"${ts}"${extra}}`,
      };
    };
    const known: Hostile[] = [
      conv(`,"metadata":{"deep":${nested(30_000)}}`), // the message that crashed the event store
      conv(',"amount_cents":9007199254740992,"currency":"usd"'),
      conv(',"amount_cents":1e400,"currency":"usd"'),
      conv(',"amount_cents":9223372036854775808,"currency":"usd"'),
      conv(',"metadata":{"n":123456789012345678901234567890}'), // delivered as JSON parsing gives it
      conv('', '0000-01-01T00:00:00Z'),
      conv('', '2026-W13-2T15:00:00Z'),
      conv('', '2026-03-24T17:00:00.25+02:00'), // delivered as 2026-03-24T15:00:00.25Z
      conv(',"user_id":"a\\u0000b"'), // the JSON escape, so that it parses to U+0000
      conv(',"metadata":{"\\ud800":1}'), // a lone surrogate as a JSON escape (raw, it would be UTF-8-encoded as U+FFFD)
    ];
    sent.push(...known);
    for (const e of known) await produceRaw(`${prefix}.events.conversion`, [{ key: t, value: e.json }]);
    await canary();
    const normalised = await waitFor(() => receiver.on('/hostile').find((r) => r.headers['x-rift-event-id'] === known[7]!.eventId), {
      what: 'the offset date-time delivered',
    });
    expect(JSON.parse(normalised.body.toString()).data.timestamp).toBe('2026-03-24T15:00:00.25Z');
    const big = await waitFor(() => receiver.on('/hostile').find((r) => r.headers['x-rift-event-id'] === known[4]!.eventId), {
      what: 'the big metadata number delivered',
    });
    expect(JSON.parse(big.body.toString()).data.metadata.n).toBe(1.2345678901234568e29);
  });

  it('survives every batch of schema-valid hostile events; a canary after each is delivered and counted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileEvent(hostileTenant?.tenant_id ?? ''), { minLength: 5, maxLength: 15 }), async (batch) => {
        sent.push(...batch);
        for (const e of batch) await produceRaw(`${prefix}.events.${e.type}`, [{ key: hostileTenant.tenant_id, value: e.json }]);
        await canary();
      }),
      { numRuns: 8, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
  });

  it('accounts for every hostile event: delivered with a UTC timestamp, or set aside with a reason', async () => {
    const delivered = () =>
      new Map(receiver.on('/hostile').map((r) => [String(r.headers['x-rift-event-id']), JSON.parse(r.body.toString()) as { data: { timestamp: string } }]));
    const accounted = await waitFor(
      async () => {
        const invalid = await readTopic(`${prefix}.events.invalid`, { settleMs: 500 });
        const idOf = (m: (typeof invalid)[number]) => {
          try {
            return String(JSON.parse(m.value!.toString()).event_id);
          } catch {
            return /"event_id":"([0-9a-f]{24})"/.exec(m.value?.toString() ?? '')?.[1] ?? '';
          }
        };
        const setAside = new Map(invalid.map((m) => [idOf(m), m.headers?.['rift-reason']?.toString() ?? '']));
        const got = delivered();
        const missing = sent.filter((e) => !got.has(e.eventId) && !setAside.has(e.eventId));
        return missing.length === 0 ? { setAside, got } : undefined;
      },
      { what: 'every hostile event delivered or set aside', timeoutMs: 60_000, intervalMs: 1_000 },
    );
    for (const [, reason] of accounted.setAside) expect(reason.length).toBeGreaterThan(5);
    for (const [, body] of accounted.got) expect(body.data.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/);
    // Both outcomes occur: the generator is not all-valid or all-invalid.
    expect(accounted.got.size).toBeGreaterThan(0);
    expect(accounted.setAside.size).toBeGreaterThan(0);
    // And every offset behind them is committed: no partition holds on to a message it has finished.
    await waitFor(
      async () => {
        const text = await (await fetch(`${svc.url}/metrics`)).text();
        if (metric(text, 'rift_kafka_consumer_lag_stale') !== 0 || metric(text, 'rift_kafka_consumer_lag', { group: `${prefix}-dispatcher` }) === undefined)
          return false;
        return ['dispatcher', 'event-store'].every((g) => metricSum(text, 'rift_kafka_consumer_lag', { group: `${prefix}-${g}` }) === 0);
      },
      { what: "the input groups' lag back to 0", timeoutMs: 60_000, intervalMs: 1_000 },
    );
  });

  it('stores exactly the delivered hostile events, and counts them', async () => {
    const ids = new Set(receiver.on('/hostile').map((r) => String(r.headers['x-rift-event-id'])));
    await waitFor(
      async () => {
        const stats = await api(svc, hostileTenant.api_key, 'GET', '/v1/links/hostile/stats');
        return stats.body.clicks + stats.body.attributions + stats.body.conversions === ids.size;
      },
      { what: 'the stats to count every delivered hostile event', timeoutMs: 30_000 },
    );
    const rows = await db.query<{ id: string }>('SELECT id FROM events WHERE tenant_id = $1', [hostileTenant.tenant_id]);
    expect(new Set(rows.map((r) => r.id))).toEqual(ids);
  });

  it('sets aside a reference to a retry job too large for the broker, and keeps going', async () => {
    // A second service whose events may be up to 1,000,000 bytes: a ~950 KB conversion made of
    // quotes is delivered once (503), and its retry job (the body escaped again: ~1.9 MB) cannot be
    // produced. A reference goes to the invalid-events topic instead; nothing waits for it.
    const big = new ServiceProcess({ ...env, EVENT_MAX_BYTES: '1000000', RIFT_TOPIC_PREFIX: `${prefix}-big`, PORT: '' });
    await big.start();
    try {
      const t = createTenant(env, 'big');
      await registerWebhook(big, t.api_key, receiver.url('/big'), ['conversion']);
      receiver.script('/big', () => ({ status: 503 }));
      const eventId = hex24();
      const value = `{"event_id":"${eventId}","tenant_id":"${t.tenant_id}","link_id":"big","conversion_type":"deposit","metadata":{"q":"${'\\"'.repeat(470_000)}"},"timestamp":"2026-03-24T15:00:00Z"}`;
      expect(Buffer.byteLength(value)).toBeGreaterThan(900_000);
      await produceRaw(`${prefix}-big.events.conversion`, [{ key: t.tenant_id, value }]);
      const ref = await waitFor(
        async () => (await readTopic(`${prefix}-big.events.invalid`, { settleMs: 500 })).find((m) => m.headers?.['rift-reference']?.toString() === 'true'),
        { what: 'the reference set aside', timeoutMs: 60_000, intervalMs: 1_000 },
      );
      expect(ref.headers?.['rift-target-topic']?.toString()).toBe(`${prefix}-big.webhooks.retry.200ms`);
      expect(Number(ref.headers?.['rift-size-bytes']?.toString())).toBeGreaterThan(1_000_000);
      expect(ref.value!.length).toBe(1024);
      expect(receiver.on('/big').length).toBe(1);
      // Stored all the same, and the service is still ready and delivering.
      await waitFor(async () => (await api(big, t.api_key, 'GET', '/v1/links/big/stats')).body?.conversions === 1, { what: 'the big event counted' });
      receiver.script('/big', () => ({ status: 200 }));
      await produceRaw(`${prefix}-big.events.conversion`, [
        { key: t.tenant_id, value: `{"tenant_id":"${t.tenant_id}","link_id":"big","conversion_type":"deposit","timestamp":"2026-03-24T15:00:00Z"}` },
      ]);
      await waitFor(() => receiver.on('/big').length === 2, { what: 'the next event delivered' });
      expect((await fetch(`${big.url}/health/ready`)).status).toBe(200);
    } finally {
      await big.stop();
    }
  });

  it('sums amounts past 2^63 in the stats without an error, exactly', async () => {
    const t = createTenant(env, 'rich');
    const events = Array.from({ length: 1100 }, () => ({
      key: t.tenant_id,
      value: `{"tenant_id":"${t.tenant_id}","link_id":"whale","conversion_type":"deposit","amount_cents":9007199254740991,"currency":"usd","timestamp":"2026-03-24T15:00:00Z"}`,
    }));
    await produceRaw(`${prefix}.events.conversion`, events);
    const expected = (9007199254740991n * 1100n).toString();
    const stats = await waitFor(
      async () => {
        const r = await api(svc, t.api_key, 'GET', '/v1/links/whale/stats');
        return r.body?.conversions === 1100 ? r.body : undefined;
      },
      { what: '1,100 whale conversions counted', timeoutMs: 60_000 },
    );
    expect(stats.revenue).toEqual({ usd: expected });
    await canary();
  });
});
