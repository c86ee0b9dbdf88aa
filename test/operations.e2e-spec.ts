import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, registerWebhook } from './support/fixtures.js';
import { metricSum } from './support/metrics.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, KAFKA_BROKERS, riftAsync, ServiceProcess, uniquePrefix } from './support/service.js';
import { sleep, waitFor } from './support/wait-for.js';

const now = () => new Date().toISOString();

describe('operations: attempt log, dead-letter replay, consumer lag, logs (real Kafka, Postgres, HTTPS receiver)', () => {
  const prefix = uniquePrefix('ops');
  let db: TestDatabase;
  let receiver: Receiver;
  let apiSvc: ServiceProcess;
  let dispatcher: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  let publisher: Awaited<ReturnType<typeof createEventPublisher>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.4', WEBHOOK_CACHE_TTL_MS: '300' });
    apiSvc = await new ServiceProcess({ ...env, RIFT_ROLE: 'api' }).start();
    dispatcher = await new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' }).start();
    publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix });
  });

  afterAll(async () => {
    await publisher?.close();
    await Promise.all([apiSvc?.stop(), dispatcher?.stop()]);
    await receiver?.stop();
    await db?.drop();
  });

  it('records every attempt of a failing endpoint in the delivery log, with status codes, filterable and paginated', async () => {
    const t = createTenant(env);
    const w = await registerWebhook(apiSvc, t.api_key, receiver.url('/log/failing'), ['click']);
    receiver.script('/log/failing', (_req, nth) => ({ status: nth <= 2 ? 503 : 410 })); // nth counts from 1
    const { event_id } = await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'log', timestamp: now() });
    const page = await waitFor(
      async () => {
        const r = await api(apiSvc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries`);
        return r.status === 200 && r.body.data.length === 3 ? r.body : undefined;
      },
      { what: 'three attempts in the log', timeoutMs: 20_000 },
    );
    // Newest first: the third (last) attempt went to the DLQ.
    expect(
      page.data.map((a: { attempt: number; tier: string; status_code: number; error: string; outcome: string; next: string; event_id: string }) => [
        a.attempt,
        a.tier,
        a.status_code,
        a.error,
        a.outcome,
        a.next,
        a.event_id,
      ]),
    ).toEqual([
      [3, '400ms', 410, 'http_410', 'failed', 'dead_letter', event_id],
      [2, '200ms', 503, 'http_503', 'failed', 'retry', event_id],
      [1, 'first', 503, 'http_503', 'failed', 'retry', event_id],
    ]);
    expect(page.data[0].duration_ms).toBeGreaterThanOrEqual(0);
    expect(Date.parse(page.data[0].at)).toBeGreaterThan(Date.parse(page.data[2].at));
    expect(page.next_cursor).toBeNull();

    // Pagination: one at a time, same three, then no cursor.
    const first = await api(apiSvc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?limit=2`);
    expect(first.body.data.map((a: { attempt: number }) => a.attempt)).toEqual([3, 2]);
    const second = await api(apiSvc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.data.map((a: { attempt: number }) => a.attempt)).toEqual([1]);
    expect(second.body.next_cursor).toBeNull();

    // Filters, and clear 4xx for bad ones.
    expect((await api(apiSvc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?outcome=succeeded`)).body.data).toEqual([]);
    expect((await api(apiSvc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?outcome=failed&event_id=${event_id}`)).body.data).toHaveLength(3);
    const bad = await api(apiSvc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?outcome=meh&limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining(['outcome: outcome must be one of: succeeded, failed', 'limit: limit must be at least 1']));
    const forged = await api(apiSvc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?outcome=failed&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(forged.status).toBe(400);

    // Another tenant sees nothing of it.
    const other = createTenant(env, 'other');
    expect((await api(apiSvc, other.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries`)).status).toBe(404);
    expect((await api(apiSvc, t.api_key, 'GET', '/v1/webhooks/000000000000000000000000/deliveries')).status).toBe(404);
  });

  it('replays a dead-lettered delivery once the receiver is fixed: listed, dry run, delivered once, not replayed twice', async () => {
    const t = createTenant(env);
    const w = await registerWebhook(apiSvc, t.api_key, receiver.url('/dlq/broken'), ['conversion']);
    const gone = await registerWebhook(apiSvc, t.api_key, receiver.url('/dlq/gone'), ['conversion']);
    let fixed = false;
    receiver.script('/dlq/broken', () => ({ status: fixed ? 200 : 500 }));
    receiver.script('/dlq/gone', () => ({ status: 500 }));
    const { event_id } = await publisher.publish('conversion', { tenant_id: t.tenant_id, link_id: 'dlq', conversion_type: 'signup', timestamp: now() });
    await waitFor(() => receiver.on('/dlq/broken').length === 3 && receiver.on('/dlq/gone').length === 3, { what: 'both exhausted', timeoutMs: 20_000 });
    expect((await api(apiSvc, t.api_key, 'DELETE', `/v1/webhooks/${gone.id}`)).status).toBe(204);

    const list = await waitFor(
      async () => {
        const r = await riftAsync(['dlq', 'list', '--json', '--since', '10m'], env);
        const rows = r.status === 0 ? (JSON.parse(r.stdout) as { webhook_id: string; event_id: string; attempts: number; last_error: string }[]) : [];
        return rows.filter((e) => e.event_id === event_id).length === 2 ? rows : undefined;
      },
      { what: 'two DLQ entries listed', timeoutMs: 20_000 },
    );
    expect(list.find((e) => e.webhook_id === w.id)).toMatchObject({ attempts: 3, last_error: 'http_500' });
    const filtered = await riftAsync(['dlq', 'list', '--webhook', w.id], env);
    expect(filtered.stdout).toContain('1 dead-lettered deliveries');
    expect(filtered.stdout).toContain(event_id);

    fixed = true;
    // The DLQ of this prefix also holds the first test's entry: every replay here is filtered.
    const dry = await riftAsync(['dlq', 'replay', '--dry-run', '--webhook', w.id], env);
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({ matched: 1, replayed: 1, already_replayed: 0, skipped_deleted_webhook: 0, dry_run: true });
    expect(dry.stderr).toContain('would replay 1 of 1 matching');
    const deleted = await riftAsync(['dlq', 'replay', '--webhook', gone.id], env);
    expect(JSON.parse(deleted.stdout)).toEqual({ matched: 1, replayed: 0, already_replayed: 0, skipped_deleted_webhook: 1, dry_run: false });
    await sleep(1_000);
    expect(receiver.on('/dlq/broken')).toHaveLength(3);

    const replay = await riftAsync(['dlq', 'replay', '--webhook', w.id, '--since', '1h'], env);
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ matched: 1, replayed: 1 });
    expect(replay.stderr).toContain('replayed 1 of 1 matching');
    await waitFor(() => receiver.on('/dlq/broken').length === 4, { what: 'the replayed delivery' });
    const delivered = receiver.on('/dlq/broken')[3]!;
    expect(delivered.headers['x-rift-event-id']).toBe(event_id);
    expect(delivered.headers['x-rift-attempt']).toBe('1');
    expect(delivered.body.toString()).toBe(receiver.on('/dlq/broken')[0]!.body.toString()); // the same bytes as the first attempt

    const again = await riftAsync(['dlq', 'replay', '--webhook', w.id], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ replayed: 0, already_replayed: 1 });
    const none = await riftAsync(['dlq', 'replay', '--webhook', '000000000000000000000000'], env);
    expect(none.status).toBe(0);
    expect(none.stderr).toContain('no dead-lettered deliveries match; nothing replayed');
    expect((await riftAsync(['dlq', 'list', '--since', 'yesterday-ish'], env)).status).toBe(2);
    await sleep(1_500);
    expect(receiver.on('/dlq/broken')).toHaveLength(4); // delivered once
    expect(receiver.on('/dlq/gone')).toHaveLength(3); // its webhook was deleted: not replayed
  });

  it('retries one delivery on request: POST /v1/webhooks/:id/deliveries/:event_id/retry', async () => {
    const t = createTenant(env);
    const w = await registerWebhook(apiSvc, t.api_key, receiver.url('/retry/one'), ['attribution']);
    const { event_id } = await publisher.publish('attribution', { tenant_id: t.tenant_id, link_id: 'r', install_id: 'i-1', timestamp: now() });
    await waitFor(() => receiver.on('/retry/one').length === 1, { what: 'the first delivery' });
    // The event store has it once the event-store group wrote it.
    const r = await waitFor(
      async () => {
        const res = await api(apiSvc, t.api_key, 'POST', `/v1/webhooks/${w.id}/deliveries/${event_id}/retry`);
        return res.status === 202 ? res : undefined;
      },
      { what: 'the retry to be accepted' },
    );
    expect(r.body).toEqual({ webhook_id: w.id, event_id, status: 'queued' });
    await waitFor(() => receiver.on('/retry/one').length === 2, { what: 'the retried delivery' });
    const [a, b] = receiver.on('/retry/one');
    expect(JSON.parse(b!.body.toString()).data).toEqual(JSON.parse(a!.body.toString()).data);

    expect((await api(apiSvc, t.api_key, 'POST', `/v1/webhooks/${w.id}/deliveries/000000000000000000000000/retry`)).status).toBe(404);
    expect((await api(apiSvc, t.api_key, 'POST', `/v1/webhooks/000000000000000000000000/deliveries/${event_id}/retry`)).status).toBe(404);
    expect((await api(apiSvc, t.api_key, 'POST', `/v1/webhooks/${w.id}/deliveries/not-an-id/retry`)).status).toBe(404);
    const other = createTenant(env, 'other');
    expect((await api(apiSvc, other.api_key, 'POST', `/v1/webhooks/${w.id}/deliveries/${event_id}/retry`)).status).toBe(404);
  });

  it('lag rises while the dispatcher is stopped and falls to 0 after it resumes (metric and CLI)', async () => {
    const t = createTenant(env);
    await registerWebhook(apiSvc, t.api_key, receiver.url('/lag'), ['click']);
    const group = `${prefix}-dispatcher`;
    const metricLag = async () => metricSum(await (await fetch(`${apiSvc.url}/metrics`)).text(), 'rift_kafka_consumer_lag', { group });
    const cliLag = async () => {
      const r = await riftAsync(['lag', '--json'], env);
      const j = JSON.parse(r.stdout) as { total: number; partitions: { group: string; lag: number }[] };
      return j.partitions.filter((p) => p.group === group).reduce((s, p) => s + p.lag, 0);
    };
    await waitFor(async () => (await metricLag()) === 0, { what: 'no lag to begin with', timeoutMs: 20_000 });
    await dispatcher.stop();
    await Promise.all(Array.from({ length: 40 }, (_, i) => publisher.publish('click', { tenant_id: t.tenant_id, link_id: `lag-${i}`, timestamp: now() })));
    await waitFor(async () => (await metricLag()) === 40, { what: 'metric lag of 40', timeoutMs: 20_000 });
    expect(await cliLag()).toBe(40);
    const table = await riftAsync(['lag'], env);
    expect(table.stdout).toMatch(/total/i);
    expect(table.stdout).toContain(group);

    await dispatcher.start();
    await waitFor(() => receiver.on('/lag').length >= 40, { what: '40 deliveries after resuming', timeoutMs: 30_000 });
    await waitFor(async () => (await metricLag()) === 0, { what: 'metric lag back to 0', timeoutMs: 20_000 });
    expect(await cliLag()).toBe(0);
  });

  it('logs JSON lines: one per attempt with its fields, request ids on HTTP lines, no secrets or keys', async () => {
    const lines = [...apiSvc.output.split('\n'), ...dispatcher.output.split('\n')]
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const attempt = lines.find((l) => l.msg === 'delivery attempt' && l.outcome === 'failed');
    expect(attempt).toMatchObject({
      webhook_id: expect.any(String),
      event_id: expect.any(String),
      event_type: expect.any(String),
      attempt: expect.any(Number),
      tier: expect.any(String),
      status_code: expect.any(Number),
      error: expect.any(String),
      duration_ms: expect.any(Number),
      at: expect.any(String),
      next: expect.any(String),
    });

    const res = await fetch(`${apiSvc.url}/v1/webhooks`, {
      headers: { authorization: 'Bearer rl_live_thisisnotarealkeybutlookslikeoneAAAAAAAAAAAAA', 'x-request-id': 'req-ops-1' },
    });
    expect(res.headers.get('x-request-id')).toBe('req-ops-1');
    const http = await waitFor(() => apiSvc.output.split('\n').find((l) => l.includes('req-ops-1')), { what: 'the request line' });
    expect(JSON.parse(http)).toMatchObject({ req: { id: 'req-ops-1', method: 'GET', url: '/v1/webhooks' }, res: { status: 401 } });
    expect(apiSvc.output).not.toContain('thisisnotarealkey');
    const generated = await fetch(`${apiSvc.url}/v1/webhooks`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
