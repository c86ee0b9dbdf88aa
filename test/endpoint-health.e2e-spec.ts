import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, hex24, readTopic, registerWebhook } from './support/fixtures.js';
import { metricSum } from './support/metrics.js';
import { type ReceivedRequest, Receiver } from './support/receiver.js';
import { baseEnv, KAFKA_BROKERS, rift, ServiceProcess, uniquePrefix } from './support/service.js';
import { toWhsec, verifyStandard, verifyWebhook } from './support/verifiers.js';
import { sleep, waitFor } from './support/wait-for.js';

const h = (r: ReceivedRequest, name: string) => r.headers[name.toLowerCase()] as string | undefined;
const json = (m: { value: Buffer | null }) => JSON.parse(m.value!.toString());

/**
 * Endpoint health, disabling and re-enabling, operational events, and test sends. Real broker,
 * database and HTTPS receiver. WEBHOOK_DISABLE_AFTER_HOURS=0.001 (3.6 s) so that one delivery's
 * failures (schedule 0,1,3,6 s) outlast it.
 */
describe('endpoint health, operational events and test sends (real Kafka, Postgres, HTTPS)', () => {
  const prefix = uniquePrefix('health');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  let publisher: Awaited<ReturnType<typeof createEventPublisher>>;
  const click = (tenant_id: string) => ({ tenant_id, link_id: 'summer-sale', platform: 'ios', timestamp: '2026-03-24T15:00:00Z' });
  const webhooks = async (key: string) =>
    (await api(svc, key, 'GET', '/v1/webhooks')).body as {
      id: string;
      status: string;
      disabled_reason: string | null;
      disabled_at: string | null;
      health: { consecutive_failures: number; last_success_at: string | null; last_failure_at: string | null };
    }[];
  type Operational = { type: string; webhook_id: string; tenant_id: string; reason?: string; event_id?: string; attempts?: number };
  const operational = async (): Promise<Operational[]> => (await readTopic(`${prefix}.webhooks.operational`, { settleMs: 300 })).map(json);
  const dlq = async () => (await readTopic(`${prefix}.webhooks.dlq`, { settleMs: 300 })).map(json);

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    env = baseEnv({
      DATABASE_URL: db.url,
      RIFT_TOPIC_PREFIX: prefix,
      WEBHOOK_RETRY_SCHEDULE: '0,1,3,6',
      WEBHOOK_CACHE_TTL_MS: '300',
      WEBHOOK_DISABLE_AFTER_HOURS: '0.001',
      WEBHOOK_TEST_SENDS_PER_MINUTE: '4',
    });
    svc = await new ServiceProcess(env).start();
    publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix });
  });

  afterAll(async () => {
    await publisher?.close();
    await svc?.stop();
    await receiver?.stop();
    await db?.drop();
  });

  it('410 Gone disables at once; a disabled webhook gets nothing, still counts towards the limit, and comes back with PATCH', async () => {
    const t = createTenant(env);
    const gone = await registerWebhook(svc, t.api_key, receiver.url('/gone'), ['click']);
    const ok = await registerWebhook(svc, t.api_key, receiver.url('/ok'), ['click']);
    receiver.script('/gone', () => ({ status: 410 }));
    const first = await publisher.publish('click', click(t.tenant_id));
    const row = await waitFor(async () => (await webhooks(t.api_key)).find((w) => w.id === gone.id && w.status === 'disabled'), {
      what: 'the webhook disabled',
    });
    expect(row).toMatchObject({
      disabled_reason: 'gone',
      disabled_at: expect.stringMatching(/Z$/),
      health: { consecutive_failures: 1, last_success_at: null },
    });
    expect(receiver.on('/gone')).toHaveLength(1); // no retries of a gone endpoint
    await waitFor(async () => (await dlq()).some((e) => e.event_id === first.event_id && e.webhook_id === gone.id && e.last_error === 'http_410'), {
      what: 'the DLQ entry',
    });
    const ops = await waitFor(
      async () => {
        const all = await operational();
        return all.some((e) => e.type === 'webhook.disabled' && e.webhook_id === gone.id) ? all : undefined;
      },
      { what: 'webhook.disabled' },
    );
    expect(ops.find((e) => e.type === 'webhook.disabled' && e.webhook_id === gone.id)).toMatchObject({ reason: 'gone', tenant_id: t.tenant_id });
    expect(ops.find((e) => e.type === 'delivery.dead_lettered' && e.event_id === first.event_id)).toMatchObject({
      webhook_id: gone.id,
      reason: 'http_410',
      attempts: 1,
    });

    await sleep(400); // one cache TTL
    const second = await publisher.publish('click', click(t.tenant_id));
    await waitFor(() => receiver.on('/ok').some((r) => h(r, 'x-rift-event-id') === second.event_id), { what: "the healthy webhook's delivery" });
    await sleep(500);
    expect(receiver.on('/gone')).toHaveLength(1);
    const stored = await waitFor(
      async () => (await api(svc, t.api_key, 'GET', '/v1/events')).body.data.some((e: { event_id: string }) => e.event_id === second.event_id),
      { what: 'the event stored' },
    );
    expect(stored).toBe(true);
    expect((await webhooks(t.api_key)).find((w) => w.id === ok.id)!.health).toMatchObject({
      consecutive_failures: 0,
      last_success_at: expect.stringMatching(/Z$/),
    });

    expect((await api(svc, t.api_key, 'POST', '/v1/webhooks', { url: receiver.url('/third'), events: ['click'] })).status).toBe(409);
    const test = await api(svc, t.api_key, 'POST', `/v1/webhooks/${gone.id}/test`, { event: 'click' });
    expect(test.status).toBe(409);
    expect(test.body.message).toContain('disabled (reason: gone');
    const retry = await api(svc, t.api_key, 'POST', `/v1/webhooks/${gone.id}/deliveries/${second.event_id}/retry`);
    expect(retry.status).toBe(409);
    const recover = await api(svc, t.api_key, 'POST', `/v1/webhooks/${gone.id}/recover`, { since: new Date(Date.now() - 3_600_000).toISOString() });
    expect(recover.status).toBe(409);
    expect(recover.body.message).toContain('disabled (reason: gone');

    const listed = rift(['webhooks', 'list', '--disabled', '--json'], env);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout).map((w: { webhook_id: string }) => w.webhook_id)).toContain(gone.id);
    expect(JSON.parse(listed.stdout).map((w: { webhook_id: string }) => w.webhook_id)).not.toContain(ok.id);
    expect((await api(svc, t.api_key, 'GET', '/v1/webhooks?status=disabled')).body.map((w: { id: string }) => w.id)).toEqual([gone.id]);

    receiver.script('/gone', () => undefined);
    const enabled = await api(svc, t.api_key, 'PATCH', `/v1/webhooks/${gone.id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ status: 'active', disabled_reason: null, disabled_at: null, health: { consecutive_failures: 0 } });
    await waitFor(async () => (await operational()).some((e) => e.type === 'webhook.enabled' && e.webhook_id === gone.id), { what: 'webhook.enabled' });
    const replay = rift(['dlq', 'replay', '--webhook', gone.id], env);
    expect(JSON.parse(replay.stdout)).toMatchObject({ replayed: 1 });
    await waitFor(() => receiver.on('/gone').some((r) => h(r, 'x-rift-event-id') === first.event_id && r !== receiver.on('/gone')[0]), {
      what: 'the replayed delivery',
    });
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metricSum(text, 'rift_webhooks_disabled_total', { reason: 'gone' })).toBeGreaterThanOrEqual(1);
    expect(metricSum(text, 'rift_operational_events_total', { type: 'webhook.enabled' })).toBeGreaterThanOrEqual(1);
  });

  it('disables a webhook that has done nothing but fail for WEBHOOK_DISABLE_AFTER_HOURS; its jobs in the tiers go to the DLQ', async () => {
    const t = createTenant(env);
    const wh = await registerWebhook(svc, t.api_key, receiver.url('/failing'), ['click']);
    receiver.script('/failing', () => ({ status: 500 }));
    const e = await publisher.publish('click', click(t.tenant_id));
    const row = await waitFor(async () => (await webhooks(t.api_key)).find((w) => w.status === 'disabled'), {
      timeoutMs: 30_000,
      what: 'the webhook disabled',
    });
    expect(row).toMatchObject({
      id: wh.id,
      disabled_reason: 'failing',
      health: { consecutive_failures: expect.any(Number), last_failure_at: expect.stringMatching(/Z$/) },
    });
    expect(row.health.consecutive_failures).toBeGreaterThanOrEqual(3);
    // Attempt 4 is in the 6 s tier when the webhook is disabled: it goes to the DLQ instead.
    const entry = await waitFor(async () => (await dlq()).find((d) => d.event_id === e.event_id), { timeoutMs: 30_000, what: 'the DLQ entry' });
    expect(entry.last_error).toBe('webhook_disabled');
    expect(receiver.on('/failing').length).toBeLessThanOrEqual(3);
    const ops = await operational();
    expect(ops.find((o) => o.type === 'webhook.disabled' && o.webhook_id === wh.id)).toMatchObject({ reason: 'failing' });
  });

  it('PATCH {"enabled": false} disables by hand; a job waiting in a tier then goes to the DLQ as webhook_disabled', async () => {
    const t = createTenant(env);
    const wh = await registerWebhook(svc, t.api_key, receiver.url('/manual'), ['click']);
    receiver.script('/manual', () => ({ status: 500 }));
    const e = await publisher.publish('click', click(t.tenant_id));
    await waitFor(() => receiver.on('/manual').length === 1, { what: 'the first attempt' });
    const off = await api(svc, t.api_key, 'PATCH', `/v1/webhooks/${wh.id}`, { enabled: false });
    expect(off.body).toMatchObject({ status: 'disabled', disabled_reason: 'manual' });
    expect((await api(svc, t.api_key, 'PATCH', `/v1/webhooks/${wh.id}`, { enabled: 'yes' })).status).toBe(400);
    const entry = await waitFor(async () => (await dlq()).find((d) => d.event_id === e.event_id), { what: 'the DLQ entry' });
    expect(entry.last_error).toBe('webhook_disabled');
    expect(receiver.on('/manual')).toHaveLength(1);
  });

  it('test sends: signed example events with X-Rift-Test, the outcome and 1 KB of the answer; not retried, not stored, logged, limited', async () => {
    const t = createTenant(env);
    const wh = await registerWebhook(svc, t.api_key, receiver.url('/test'), ['click']);
    const whsec = toWhsec(wh.secret);
    for (const event of ['click', 'attribution', 'conversion']) {
      const r = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/test`, { event });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        event_id: expect.stringMatching(/^[0-9a-f]{24}$/),
        event,
        succeeded: true,
        status_code: 200,
        duration_ms: expect.any(Number),
        error: null,
        response_body: '{"ok":true}',
      });
      const got = receiver.on('/test').at(-1)!;
      expect(h(got, 'x-rift-test')).toBe('true');
      expect(h(got, 'x-rift-event')).toBe(event);
      expect(h(got, 'webhook-id')).toBe(r.body.event_id);
      expect(verifyWebhook(got.body, h(got, 'x-rift-signature')!, wh.secret)).toBe(true);
      expect(verifyStandard(got, whsec)).toBe(true);
      expect(JSON.parse(got.body.toString())).toMatchObject({ event, data: { tenant_id: t.tenant_id, link_id: 'summer-sale' } });
    }
    receiver.script('/test', () => ({ status: 500, body: 'x'.repeat(5_000) }));
    const failed = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/test`, { event: 'click' });
    expect(failed.body).toMatchObject({ succeeded: false, status_code: 500, error: 'http_500' });
    expect(failed.body.response_body).toBe('x'.repeat(1024));
    const limited = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/test`, { event: 'click' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await sleep(1_500);
    expect(receiver.on('/test')).toHaveLength(4); // the failed one was not retried
    const log = await waitFor(
      async () => {
        const d = (await api(svc, t.api_key, 'GET', `/v1/webhooks/${wh.id}/deliveries`)).body.data;
        return d.length === 4 && d;
      },
      { what: 'the test sends in the attempt log' },
    );
    expect(log.every((a: { tier: string; next: string }) => a.tier === 'test' && a.next === 'none')).toBe(true);
    const events = (await api(svc, t.api_key, 'GET', '/v1/events')).body.data;
    expect(events).toEqual([]);
    expect((await webhooks(t.api_key))[0]!.health).toEqual({ consecutive_failures: 0, last_success_at: null, last_failure_at: null });

    const other = createTenant(env);
    expect((await api(svc, other.api_key, 'POST', `/v1/webhooks/${wh.id}/test`, { event: 'click' })).status).toBe(404);
    expect((await api(svc, t.api_key, 'POST', `/v1/webhooks/${hex24()}/test`, { event: 'click' })).status).toBe(404);
    expect((await api(svc, t.api_key, 'POST', '/v1/webhooks/nope/test', { event: 'click' })).status).toBe(404);
    const bad = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/test`, { event: 'purchase' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('event must be one of');

    // A secret sealed under another RIFT_SECRET_KEY: a 409 naming the problem, never a 500.
    const t2 = createTenant(env);
    const sealedElsewhere = await registerWebhook(svc, t2.api_key, receiver.url('/test2'), ['click']);
    await db.query(`UPDATE webhooks SET secret_ciphertext = $1 WHERE id = $2`, [Buffer.alloc(12 + 16 + 64, 7).toString('base64'), sealedElsewhere.id]);
    const undecryptable = await api(svc, t2.api_key, 'POST', `/v1/webhooks/${sealedElsewhere.id}/test`, { event: 'click' });
    expect(undecryptable.status).toBe(409);
    expect(undecryptable.body.message).toContain('cannot be decrypted');
  });
});
