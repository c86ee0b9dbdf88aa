import type { TestDatabase } from './support/database.js';
import { startPipeline, stopPipeline, type Pipeline } from './support/pipeline.js';
import { createTenant, hex24, produceRaw, readTopic, registerWebhook } from './support/fixtures.js';
import { metric } from './support/metrics.js';
import type { Receiver } from './support/receiver.js';
import { type ServiceProcess, uniquePrefix } from './support/service.js';
import { verifyWebhook, verifyWithPython } from './support/verifiers.js';
import { sleep, waitFor } from './support/wait-for.js';

/**
 * The delivery pipeline end to end: the docs' bodies and signatures, the retry tiers, the DLQ, poison
 * messages and the metrics they all leave (the last test reads what the others did). Tenant isolation
 * and the dispatcher's other guards are in delivery-guards.e2e-spec.ts.
 */
describe('delivery pipeline (real Kafka, Postgres, HTTPS receiver)', () => {
  const prefix = uniquePrefix('delivery');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  let publisher: Pipeline['publisher'];

  beforeAll(async () => {
    ({ db, receiver, svc, env, publisher } = await startPipeline(prefix, { WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.5,1', WEBHOOK_CACHE_TTL_MS: '300' }));
  });

  afterAll(() => stopPipeline({ db, receiver, svc, publisher }));

  it("delivers each event type with the docs' body, signed, to every subscribed webhook and no other", async () => {
    const t = createTenant(env);
    const all = await registerWebhook(svc, t.api_key, receiver.url('/t1/all'), ['click', 'attribution', 'conversion']);
    const conv = await registerWebhook(svc, t.api_key, receiver.url('/t1/conversions'), ['conversion']);
    const ts = '2026-03-24T15:00:00Z';
    const click = {
      tenant_id: t.tenant_id,
      link_id: 'summer-sale',
      user_agent: 'Mozilla/5.0 ...',
      referer: 'https://twitter.com',
      platform: 'ios',
      timestamp: ts,
    };
    const attribution = {
      tenant_id: t.tenant_id,
      link_id: 'summer-sale',
      install_id: 'device-uuid-123',
      app_version: '1.2.0',
      timestamp: '2026-03-24T15:05:00Z',
    };
    const revenue = {
      tenant_id: t.tenant_id,
      source_id: '66a1b2c3d4e5f6a7b8c9d0e2',
      link_id: 'summer-sale',
      conversion_type: 'deposit',
      user_id: 'usr_abc123',
      amount_cents: 10000,
      currency: 'usd',
      metadata: { tx_hash: '0xabc...' },
      timestamp: '2026-03-24T15:10:00Z',
    };
    const signup = { tenant_id: t.tenant_id, link_id: 'summer-sale', conversion_type: 'signup', user_id: 'usr_abc123', timestamp: '2026-03-24T15:11:00Z' };
    const before = Date.now();
    const ids = {
      click: (await publisher.publish('click', click)).event_id,
      attribution: (await publisher.publish('attribution', attribution)).event_id,
      revenue: (await publisher.publish('conversion', revenue)).event_id,
      signup: (await publisher.publish('conversion', signup)).event_id,
    };
    await waitFor(() => receiver.on('/t1/all').length >= 4 && receiver.on('/t1/conversions').length >= 2, { what: '6 deliveries' });
    await sleep(500);
    expect(receiver.on('/t1/all')).toHaveLength(4);
    expect(receiver.on('/t1/conversions')).toHaveLength(2);

    // Exact bodies: the docs' shape and key order; conversions carry event_id in data.
    const expected: Record<string, { type: string; data: Record<string, unknown> }> = {
      [ids.click]: { type: 'click', data: click },
      [ids.attribution]: { type: 'attribution', data: attribution },
      [ids.revenue]: { type: 'conversion', data: { event_id: ids.revenue, ...revenue } },
      [ids.signup]: { type: 'conversion', data: { event_id: ids.signup, ...signup } },
    };
    for (const req of receiver.requests.filter((r) => r.path.startsWith('/t1/'))) {
      const eventId = req.headers['x-rift-event-id'] as string;
      const want = expected[eventId]!;
      expect(want).toBeDefined();
      const text = req.body.toString('utf8');
      const parsed = JSON.parse(text);
      expect(Object.keys(parsed)).toEqual(['event', 'timestamp', 'data']);
      expect(parsed.event).toBe(want.type);
      expect(parsed.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Date.parse(parsed.timestamp)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(text).toBe(JSON.stringify({ event: want.type, timestamp: parsed.timestamp, data: want.data }));
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['x-rift-event']).toBe(want.type);
      expect(req.headers['user-agent']).toMatch(/^Rift-Webhooks\//);
      const secret = req.path === '/t1/all' ? all.secret : conv.secret;
      const sig = req.headers['x-rift-signature'] as string;
      expect(verifyWebhook(req.body, sig, secret)).toBe(true);
      expect(verifyWithPython(req.body, sig, secret)).toBe(true);
      expect(
        verifyWithPython(
          req.body,
          sig,
          secret.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
        ),
      ).toBe(false);
    }
    const signupBody = JSON.parse(
      receiver
        .on('/t1/conversions')
        .find((r) => r.headers['x-rift-event-id'] === ids.signup)!
        .body.toString(),
    );
    expect(signupBody.data).not.toHaveProperty('amount_cents');
    expect(signupBody.data).not.toHaveProperty('currency');
  });

  it('retries a failing endpoint through the tiers with the same bytes and ids, then succeeds', async () => {
    const t = createTenant(env);
    receiver.script('/flaky', (_req, n) => ({ status: n <= 3 ? 503 : 200 }));
    await registerWebhook(svc, t.api_key, receiver.url('/flaky'), ['conversion']);
    const { event_id } = await publisher.publish('conversion', {
      tenant_id: t.tenant_id,
      link_id: 'l1',
      conversion_type: 'deposit',
      amount_cents: 5,
      currency: 'eur',
      timestamp: new Date().toISOString(),
    });
    await waitFor(() => receiver.on('/flaky').length >= 4, { what: '4 attempts' });
    await sleep(1500);
    const reqs = receiver.on('/flaky');
    expect(reqs).toHaveLength(4);
    expect(new Set(reqs.map((r) => r.body.toString('hex'))).size).toBe(1);
    expect(reqs.map((r) => r.headers['x-rift-event-id'])).toEqual([event_id, event_id, event_id, event_id]);
    expect(JSON.parse(reqs[0]!.body.toString()).data.event_id).toBe(event_id);
    expect(reqs.map((r) => r.headers['x-rift-attempt'])).toEqual(['1', '2', '3', '4']);
    // Each gap is at least that tier's delay (0.2 s, 0.5 s, 1 s), measured at the receiver.
    const gaps = reqs.slice(1).map((r, i) => r.at - reqs[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(200);
    expect(gaps[1]).toBeGreaterThanOrEqual(500);
    expect(gaps[2]).toBeGreaterThanOrEqual(1000);
  });

  it('makes exactly 4 attempts at an endpoint that always fails, then dead-letters the delivery with its history', async () => {
    const t = createTenant(env);
    receiver.script('/dead', () => ({ status: 500 }));
    const wh = await registerWebhook(svc, t.api_key, receiver.url('/dead'), ['click']);
    const { event_id } = await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'l2', timestamp: new Date().toISOString() });
    await waitFor(() => receiver.on('/dead').length >= 4, { what: '4 attempts' });
    const entry = await waitFor(
      async () => {
        const msgs = await readTopic(`${prefix}.webhooks.dlq`, { settleMs: 300 });
        return msgs.map((m) => JSON.parse(m.value!.toString())).find((j) => j.event_id === event_id);
      },
      { what: 'the DLQ entry', timeoutMs: 20_000 },
    );
    await sleep(1500);
    expect(receiver.on('/dead')).toHaveLength(4);
    expect(entry.webhook_id).toBe(wh.id);
    expect(entry.attempts).toBe(4);
    expect(entry.last_error).toBe('http_500');
    expect(entry.history.map((h: { attempt: number; status: number }) => [h.attempt, h.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 500],
    ]);
  });

  it('sets poison messages aside with their reason and keeps the partition moving', async () => {
    const t = createTenant(env);
    await registerWebhook(svc, t.api_key, receiver.url('/after-poison'), ['click']);
    const topic = `${prefix}.events.click`;
    const key = t.tenant_id; // same key: same partition as the good event that follows
    const ts = new Date().toISOString();
    await produceRaw(topic, [
      { key, value: 'not json at all {' },
      { key, value: JSON.stringify({ tenant_id: t.tenant_id, timestamp: ts }) },
      { key, value: JSON.stringify({ tenant_id: t.tenant_id, link_id: 42, timestamp: ts }) },
      { key, value: JSON.stringify({ tenant_id: t.tenant_id, link_id: 'x', timestamp: ts, user_agent: 'u'.repeat(70_000) }) },
      { key, value: JSON.stringify({ tenant_id: hex24(), link_id: 'x', timestamp: ts }) },
      { key, value: JSON.stringify({ tenant_id: t.tenant_id, link_id: 'after-poison', timestamp: ts, unknown_field: 1 }) },
      { key, value: JSON.stringify({ tenant_id: t.tenant_id, link_id: 'after-poison', timestamp: ts }) },
    ]);
    await waitFor(() => receiver.on('/after-poison').length >= 1, { what: 'the good event after the poison' });
    const invalid = await waitFor(
      async () => {
        const msgs = (await readTopic(`${prefix}.events.invalid`, { settleMs: 300 })).filter((m) => m.key?.toString() === key);
        return msgs.length >= 6 ? msgs : undefined;
      },
      { what: '6 invalid events', timeoutMs: 20_000 },
    );
    // Set aside concurrently, so in any order; each by its source offset.
    const bySourceOffset = invalid
      .map((m) => ({ offset: Number(m.headers!['rift-source-offset']!.toString()), reason: m.headers!['rift-reason']!.toString(), value: m.value!.toString() }))
      .sort((x, y) => x.offset - y.offset);
    expect(invalid).toHaveLength(6);
    expect(bySourceOffset.map((m) => m.reason)).toEqual([
      'value is not valid JSON',
      expect.stringMatching(/^link_id: /),
      expect.stringMatching(/^link_id: /),
      expect.stringMatching(/over the 65536-byte limit/),
      expect.stringMatching(/^unknown tenant [0-9a-f]{24}$/),
      'unknown_field: property unknown_field should not exist',
    ]);
    expect(bySourceOffset[0]!.value).toBe('not json at all {');
    expect(invalid.every((m) => m.headers!['rift-source-topic']!.toString() === topic)).toBe(true);
  });

  it('exposes Prometheus metrics: deliveries, attempts per tier, DLQ, invalid events, consumer lag', async () => {
    const text = await waitFor(
      async () => {
        const t = await (await fetch(`${svc.url}/metrics`)).text();
        return metric(t, 'rift_kafka_consumer_lag', { group: `${prefix}-dispatcher` }) !== undefined ? t : undefined;
      },
      { what: 'lag metrics', timeoutMs: 20_000 },
    );
    expect(metric(text, 'rift_deliveries_total', { event_type: 'click', outcome: 'delivered' })).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'rift_deliveries_total', { event_type: 'conversion', outcome: 'retried' })).toBeGreaterThanOrEqual(3);
    expect(metric(text, 'rift_delivery_attempts_total', { event_type: 'click', tier: '200ms', result: 'failed' })).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'rift_dlq_total', { event_type: 'click' })).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'rift_invalid_events_total', { topic: `${prefix}.events.click` })).toBeGreaterThanOrEqual(6);
    expect(metric(text, 'rift_delivery_attempt_duration_seconds_count', { event_type: 'click', result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'rift_kafka_consumer_lag_stale')).toBe(0);
    expect(text).toContain('rift_deliveries_in_flight');
    expect(text).not.toMatch(/[0-9a-f]{24}/); // no tenant, webhook or event ids as labels
  });
});
