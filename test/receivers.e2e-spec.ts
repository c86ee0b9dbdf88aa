import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, readTopic, registerWebhook } from './support/fixtures.js';
import { type ReceivedRequest, Receiver } from './support/receiver.js';
import { baseEnv, KAFKA_BROKERS, ServiceProcess, uniquePrefix } from './support/service.js';
import { toWhsec, verifySvix, verifyStandard, verifyWebhook, verifyWithPython } from './support/verifiers.js';
import { sleep, waitFor } from './support/wait-for.js';

const h = (r: ReceivedRequest, name: string) => r.headers[name.toLowerCase()] as string | undefined;

/**
 * What receivers get beyond the published docs: Standard Webhooks headers, rotation with an
 * overlap, Retry-After. Real broker, database and HTTPS receiver; schedule 0,1,3,6 s so that a
 * Retry-After of 2 s has a tier of its own to land in (3 s).
 */
describe('receivers: Standard Webhooks, rotation overlap, Retry-After (real Kafka, Postgres, HTTPS)', () => {
  const prefix = uniquePrefix('receivers');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  let publisher: Awaited<ReturnType<typeof createEventPublisher>>;
  const click = (tenant_id: string, link_id = 'summer-sale') => ({ tenant_id, link_id, platform: 'ios', timestamp: '2026-03-24T15:00:00Z' });

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, WEBHOOK_RETRY_SCHEDULE: '0,1,3,6', WEBHOOK_CACHE_TTL_MS: '300' });
    svc = await new ServiceProcess(env).start();
    publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix });
  });

  afterAll(async () => {
    await publisher?.close();
    await svc?.stop();
    await receiver?.stop();
    await db?.drop();
  });

  it("every delivery, retries included, verifies with standardwebhooks, svix and the docs' Node and Python code", async () => {
    const t = createTenant(env);
    const wh = await registerWebhook(svc, t.api_key, receiver.url('/sig'), ['click', 'attribution', 'conversion']);
    const whsec = (wh as unknown as { standard_webhooks_secret: string }).standard_webhooks_secret;
    expect(whsec).toBe(toWhsec(wh.secret));
    receiver.script('/sig', (_r, nth) => (nth === 1 ? { status: 500 } : undefined));
    const ids = [
      (await publisher.publish('click', click(t.tenant_id))).event_id,
      (
        await publisher.publish('attribution', {
          tenant_id: t.tenant_id,
          link_id: 'summer-sale',
          install_id: 'device-uuid-123',
          timestamp: '2026-03-24T15:05:00Z',
        })
      ).event_id,
      (await publisher.publish('conversion', { tenant_id: t.tenant_id, link_id: 'summer-sale', conversion_type: 'signup', timestamp: '2026-03-24T15:10:00Z' }))
        .event_id,
    ];
    await waitFor(() => receiver.on('/sig').length === 4, { what: '3 deliveries and 1 retry' });
    for (const r of receiver.on('/sig')) {
      expect(h(r, 'webhook-id')).toBe(h(r, 'x-rift-event-id'));
      expect(Math.abs(Number(h(r, 'webhook-timestamp')) - Date.now() / 1000)).toBeLessThan(60);
      expect(h(r, 'webhook-signature')).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(h(r, 'x-rift-signature-next')).toBeUndefined();
      expect(h(r, 'x-rift-test')).toBeUndefined();
      expect(verifyStandard(r, whsec)).toBe(true);
      expect(verifySvix(r, whsec)).toBe(true);
      expect(verifyWebhook(r.body, h(r, 'x-rift-signature')!, wh.secret)).toBe(true);
      expect(verifyWithPython(r.body, h(r, 'x-rift-signature')!, wh.secret)).toBe(true);
      expect(verifyStandard(r, toWhsec('00'.repeat(32)))).toBe(false);
    }
    expect(new Set(receiver.on('/sig').map((r) => h(r, 'webhook-id')))).toEqual(new Set(ids));
    // The retry: same bytes and id, a timestamp of its own attempt.
    const [first, retry] = receiver.on('/sig').filter((r) => h(r, 'webhook-id') === h(receiver.on('/sig')[0]!, 'webhook-id'));
    expect(retry!.body.equals(first!.body)).toBe(true);
    expect(Number(h(retry!, 'webhook-timestamp'))).toBeGreaterThanOrEqual(Number(h(first!, 'webhook-timestamp')));
  });

  it('rotates a secret mid-stream without a single failed verification', async () => {
    const t = createTenant(env);
    const wh = await registerWebhook(svc, t.api_key, receiver.url('/rot'), ['click']);
    // The receiver: at first only the old secret and X-Rift-Signature; after its deploy only the
    // new secret, accepted in either header (the README's steps). A failed check answers 401.
    const receiverState: { secrets: string[]; failures: number } = { secrets: [wh.secret], failures: 0 };
    receiver.script('/rot', (r) => {
      const ok =
        receiverState.secrets.some((s) => [h(r, 'x-rift-signature'), h(r, 'x-rift-signature-next')].some((sig) => sig && verifyWebhook(r.body, sig, s))) &&
        receiverState.secrets.some((s) => verifyStandard(r, toWhsec(s)));
      if (!ok) receiverState.failures++;
      return ok ? undefined : { status: 401 };
    });
    let published = 0;
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        await publisher.publish('click', click(t.tenant_id, `rot-${published++}`));
        await sleep(50);
      }
    })();
    await waitFor(() => receiver.on('/rot').length >= 10, { what: 'deliveries before the rotation' });
    const rotated = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    expect(Date.parse(rotated.body.rotation_ends_at) - Date.now()).toBeGreaterThan(86_000_000); // 86400 s by default
    const newSecret: string = rotated.body.secret;
    expect((await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret`, {})).status).toBe(409);
    const overlapSeen = await waitFor(() => receiver.on('/rot').find((r) => h(r, 'x-rift-signature-next')), { what: 'X-Rift-Signature-Next' });
    expect(verifyWebhook(overlapSeen.body, h(overlapSeen, 'x-rift-signature')!, wh.secret)).toBe(true);
    expect(h(overlapSeen, 'webhook-signature')!.split(' ')).toHaveLength(2);
    const listed = await api(svc, t.api_key, 'GET', '/v1/webhooks');
    expect(listed.body[0].rotation_ends_at).toBe(rotated.body.rotation_ends_at);
    await sleep(500); // the rotation has reached every dispatcher (WEBHOOK_CACHE_TTL_MS): deploy
    receiverState.secrets = [newSecret];
    await sleep(500);
    expect((await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret/complete`)).body).toEqual({ id: wh.id, rotation: 'completed' });
    expect((await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret/complete`)).status).toBe(409);
    const settled = receiver.on('/rot').length;
    await waitFor(
      () =>
        receiver
          .on('/rot')
          .slice(settled)
          .some((r) => !h(r, 'x-rift-signature-next')),
      { what: 'the -Next header to go' },
    );
    await sleep(400);
    streaming = false;
    await stream;
    await waitFor(() => new Set(receiver.on('/rot').map((r) => h(r, 'x-rift-event-id'))).size === published, { what: 'every event delivered' });
    expect(receiverState.failures).toBe(0);
    expect(receiver.on('/rot').filter((r) => h(r, 'x-rift-attempt') !== '1')).toEqual([]); // nothing had to be retried
    const last = receiver.on('/rot').at(-1)!;
    expect(h(last, 'x-rift-signature-next')).toBeUndefined();
    expect(verifyWebhook(last.body, h(last, 'x-rift-signature')!, newSecret)).toBe(true);
    expect(verifyStandard(last, rotated.body.standard_webhooks_secret)).toBe(true);
  });

  it('ends the overlap by itself when overlap_seconds pass; 0 switches at once; bad overlaps are 400', async () => {
    const t = createTenant(env);
    const wh = await registerWebhook(svc, t.api_key, receiver.url('/rot2'), ['click']);
    for (const bad of [-1, 1.5, 'x', null, 99_999_999]) {
      const r = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret`, { overlap_seconds: bad });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain('overlap_seconds');
    }
    const rotated = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret`, { overlap_seconds: 1 });
    await sleep(1_500);
    await publisher.publish('click', click(t.tenant_id));
    const r = await waitFor(() => receiver.on('/rot2')[0], { what: 'a delivery after the overlap' });
    expect(h(r, 'x-rift-signature-next')).toBeUndefined();
    expect(verifyWebhook(r.body, h(r, 'x-rift-signature')!, rotated.body.secret)).toBe(true);
    const now = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret`, { overlap_seconds: 0 });
    expect(now.body.rotation_ends_at).toBeNull();
    await sleep(400); // one cache TTL
    await publisher.publish('click', click(t.tenant_id));
    const r2 = await waitFor(() => receiver.on('/rot2')[1], { what: 'a delivery after the immediate switch' });
    expect(verifyWebhook(r2.body, h(r2, 'x-rift-signature')!, now.body.secret)).toBe(true);
    expect(h(r2, 'webhook-signature')!.split(' ')).toHaveLength(1);
  });

  it('honours Retry-After on 429/503: the first tier at least as long, never earlier, no extra attempts', async () => {
    const t = createTenant(env);
    await registerWebhook(svc, t.api_key, receiver.url('/ra'), ['click']);
    const other = createTenant(env);
    await registerWebhook(svc, other.api_key, receiver.url('/ra-date'), ['click']);
    receiver.script('/ra', (_r, nth) => (nth === 1 ? { status: 429, headers: { 'retry-after': '2' } } : undefined));
    receiver.script('/ra-date', (_r, nth) => (nth === 1 ? { status: 503, headers: { 'retry-after': new Date(Date.now() + 2_000).toUTCString() } } : undefined));
    const { event_id } = await publisher.publish('click', click(t.tenant_id));
    await publisher.publish('click', click(other.tenant_id));
    const [a1, a2] = await waitFor(() => (receiver.on('/ra').length === 2 ? receiver.on('/ra') : undefined), { what: 'the retry after Retry-After' });
    expect(a2!.at - a1!.at).toBeGreaterThanOrEqual(2_000);
    expect(h(a2!, 'x-rift-attempt')).toBe('2');
    const [d1, d2] = await waitFor(() => (receiver.on('/ra-date').length === 2 ? receiver.on('/ra-date') : undefined), {
      what: 'the retry after an HTTP-date Retry-After',
    });
    expect(d2!.at - d1!.at).toBeGreaterThanOrEqual(1_000); // the date has a 1 s resolution
    const inThree = await readTopic(`${prefix}.webhooks.retry.3s`, { settleMs: 300 });
    expect(inThree.some((m) => JSON.parse(m.value!.toString()).event_id === event_id)).toBe(true);

    // Always 429 with Retry-After: still exactly 4 attempts, then the DLQ.
    const third = createTenant(env);
    await registerWebhook(svc, third.api_key, receiver.url('/ra-always'), ['click']);
    receiver.script('/ra-always', () => ({ status: 429, headers: { 'retry-after': '2' } }));
    const dead = await publisher.publish('click', click(third.tenant_id));
    await waitFor(
      async () => (await readTopic(`${prefix}.webhooks.dlq`, { settleMs: 300 })).some((m) => JSON.parse(m.value!.toString()).event_id === dead.event_id),
      { timeoutMs: 40_000, what: 'the DLQ entry' },
    );
    expect(receiver.on('/ra-always').map((r) => h(r, 'x-rift-attempt'))).toEqual(['1', '2', '3', '4']);

    // A bad Retry-After is ignored: the 1 s tier as scheduled.
    const fourth = createTenant(env);
    await registerWebhook(svc, fourth.api_key, receiver.url('/ra-bad'), ['click']);
    receiver.script('/ra-bad', (_r, nth) => (nth === 1 ? { status: 503, headers: { 'retry-after': '-5' } } : undefined));
    const bad = await publisher.publish('click', click(fourth.tenant_id));
    const [b1, b2] = await waitFor(() => (receiver.on('/ra-bad').length === 2 ? receiver.on('/ra-bad') : undefined), { what: 'the scheduled retry' });
    expect(b2!.at - b1!.at).toBeGreaterThanOrEqual(1_000);
    const inOne = await readTopic(`${prefix}.webhooks.retry.1s`, { settleMs: 300 });
    expect(inOne.some((m) => JSON.parse(m.value!.toString()).event_id === bad.event_id)).toBe(true);
  });
});
