import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, registerWebhook } from './support/fixtures.js';
import { Receiver, type ReceivedRequest } from './support/receiver.js';
import { baseEnv, KAFKA_BROKERS, riftAsync, ServiceProcess, uniquePrefix } from './support/service.js';
import { sleep, waitFor } from './support/wait-for.js';

const now = () => new Date().toISOString();
const eventIdOf = (r: ReceivedRequest) => r.headers['x-rift-event-id'] as string;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

describe('recovery by time range: POST /v1/webhooks/:id/recover (real Kafka, Postgres, HTTPS receiver)', () => {
  const prefix = uniquePrefix('recover');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  let publisher: Awaited<ReturnType<typeof createEventPublisher>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    // 2 s and 4 s tiers: a failed delivery waits in a tier long enough to be seen there.
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, WEBHOOK_RETRY_SCHEDULE: '0,2,4', WEBHOOK_CACHE_TTL_MS: '300' });
    svc = await new ServiceProcess({ ...env, RIFT_ROLE: 'all' }).start();
    publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix });
  });

  afterAll(async () => {
    await publisher?.close();
    await svc?.stop();
    await receiver?.stop();
    await db?.drop();
  });

  const stored = (tenantId: string, ids: string[]) =>
    waitFor(async () => (await db.query('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND id = ANY($2)', [tenantId, ids]))[0]!.n === ids.length, {
      what: 'the events to be stored',
    });
  const deadLettered = (webhookId: string, n: number) =>
    waitFor(
      async () => (await db.query("SELECT count(*)::int AS n FROM delivery_attempts WHERE webhook_id = $1 AND next = 'dead_letter'", [webhookId]))[0]!.n === n,
      { what: `${n} dead-lettered deliveries`, timeoutMs: 60_000 },
    );

  it('takes an endpoint down for a while, then recovers exactly the missed events and nothing else', async () => {
    const since = iso(60_000);
    const t = createTenant(env);
    const click = (link: string) => publisher.publish('click', { tenant_id: t.tenant_id, link_id: link, timestamp: now() });
    const conversion = (link: string) =>
      publisher.publish('conversion', { tenant_id: t.tenant_id, link_id: link, conversion_type: 'signup', timestamp: now() });

    // Published (and stored) before the webhook existed: never recovered to it.
    const before = await click('before');
    await stored(t.tenant_id, [before.event_id]);
    await sleep(50);
    const w = await registerWebhook(svc, t.api_key, receiver.url('/rec/main'), ['click', 'conversion']);
    await registerWebhook(svc, t.api_key, receiver.url('/rec/other'), ['click', 'attribution', 'conversion']);
    // What the endpoint answers, by the event's link: scripted before the events exist, so no delivery races the script.
    const state = { outage: false, waitingDown: true, slow: false };
    receiver.script('/rec/main', (r) => {
      const link = JSON.parse(r.body.toString()).data.link_id as string;
      if (link.startsWith('down-') && state.outage) return { status: 503 };
      if (link === 'waiting' && state.waitingDown) return { status: 503 };
      return link.startsWith('down-') && state.slow ? { delayMs: 1_500 } : undefined;
    });
    await sleep(500); // the dispatcher's webhook cache (300 ms) sees both

    // Up: delivered, not recovered later.
    const delivered = await Promise.all([click('up-1'), click('up-2'), conversion('up-3')]);
    await waitFor(() => delivered.every((e) => receiver.on('/rec/main').some((r) => eventIdOf(r) === e.event_id)), { what: 'the first deliveries' });

    // Down: every attempt answers 503 until the deliveries are dead-lettered.
    state.outage = true;
    const missed = await Promise.all([click('down-1'), click('down-2'), conversion('down-3'), conversion('down-4')]);
    const notSubscribed = await publisher.publish('attribution', { tenant_id: t.tenant_id, link_id: 'down-5', install_id: 'i-1', timestamp: now() });
    await deadLettered(w.id, 4);

    // Up again; one more event fails and waits in a retry tier when the recovery starts.
    state.outage = false;
    const after = await click('after');
    const waiting = await click('waiting');
    await waitFor(() => receiver.on('/rec/main').some((r) => eventIdOf(r) === after.event_id), { what: 'the event after the outage' });
    await waitFor(async () => (await db.query("SELECT 1 FROM delivery_attempts WHERE event_id = $1 AND next = 'retry'", [waiting.event_id])).length === 1, {
      what: 'the waiting event in a retry tier',
    });
    await stored(
      t.tenant_id,
      [...delivered, ...missed, after, waiting, notSubscribed].map((e) => e.event_id),
    );

    state.slow = true; // the recovered deliveries take 1.5 s: the recovery is running meanwhile
    const mark = receiver.requests.length;
    const start = await api(svc, t.api_key, 'POST', `/v1/webhooks/${w.id}/recover`, { since });
    expect(start.status).toBe(202);
    expect(start.body).toEqual({ recover_id: expect.stringMatching(/^[0-9a-f]{24}$/), matched: 4, skipped_in_flight: 1 });
    const recoverId = start.body.recover_id as string;

    // One running recovery per webhook; a retry of an event it queued is a duplicate.
    const again = await api(svc, t.api_key, 'POST', `/v1/webhooks/${w.id}/recover`, { since });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body.message)).toContain(recoverId);
    const retry = await api(svc, t.api_key, 'POST', `/v1/webhooks/${w.id}/deliveries/${missed[0]!.event_id}/retry`);
    expect(retry.status).toBe(409);
    expect(retry.body.message).toContain(`recovery ${recoverId}`);

    const progress = await waitFor(
      async () => {
        const r = await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/recover/${recoverId}`);
        return r.body.status === 'done' ? r.body : undefined;
      },
      { what: 'the recovery to finish', timeoutMs: 30_000 },
    );
    expect(progress).toMatchObject({ recover_id: recoverId, webhook_id: w.id, matched: 4, skipped_in_flight: 1, queued: 0, sent: 0, delivered: 4, failed: 0 });

    await sleep(1_000);
    const sent = receiver.requests.slice(mark).filter((r) => r.path === '/rec/main' && eventIdOf(r) !== waiting.event_id);
    expect(sent.map(eventIdOf).sort()).toEqual(missed.map((e) => e.event_id).sort());
    for (const r of sent) {
      expect(r.headers['x-rift-attempt']).toBe('1');
      const body = JSON.parse(r.body.toString());
      expect(body.data.link_id).toMatch(/^down-/);
    }
    expect(receiver.requests.slice(mark).filter((r) => r.path === '/rec/other')).toHaveLength(0);

    // The event that was waiting is dead-lettered meanwhile; an operator recovers it with the CLI.
    await deadLettered(w.id, 5);
    state.waitingDown = false;
    const cli = await riftAsync(['recover', '--webhook', w.id, '--since', '5m'], env);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ matched: 1, skipped_in_flight: 0 });
    await waitFor(() => receiver.requests.slice(mark).filter((r) => eventIdOf(r) === waiting.event_id && r.headers['x-rift-attempt'] === '1').length === 1, {
      what: 'the waiting event recovered by the CLI',
    });
    const status = await riftAsync(['recover', 'status', JSON.parse(cli.stdout).recover_id, '--webhook', w.id], env);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ matched: 1 });
  });

  it('a repeated retry of the same event is refused (409, naming the queued one) until the first has an outcome', async () => {
    const t = createTenant(env, 'retry-dedup');
    const w = await registerWebhook(svc, t.api_key, receiver.url('/rec/retry'), ['click']);
    let slow = false;
    receiver.script('/rec/retry', () => (slow ? { delayMs: 1_500 } : undefined));
    await sleep(500);
    const { event_id } = await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'retry', timestamp: now() });
    await waitFor(() => receiver.on('/rec/retry').length === 1, { what: 'the first delivery' });
    await stored(t.tenant_id, [event_id]);
    slow = true;
    const retry = () => api(svc, t.api_key, 'POST', `/v1/webhooks/${w.id}/deliveries/${event_id}/retry`);
    expect((await retry()).status).toBe(202);
    const duplicate = await retry();
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.message).toMatch(/already queued for this webhook by retry [0-9a-f]{24}/);
    // Delivered (and in the attempt log): a new retry is accepted again.
    await waitFor(async () => (await retry()).status === 202, { what: 'the retry to be accepted after the first one was delivered', timeoutMs: 20_000 });
    await waitFor(() => receiver.on('/rec/retry').length === 3, { what: 'two retried deliveries' });
  });

  it("refuses bad ranges with a 400 naming the field, and hides other tenants' webhooks (404)", async () => {
    const t = createTenant(env, 'bad-input');
    const w = await registerWebhook(svc, t.api_key, receiver.url('/rec/bad'), ['click']);
    const post = (body: unknown, id = w.id, key = t.api_key) => api(svc, key, 'POST', `/v1/webhooks/${id}/recover`, body);
    const expect400 = async (body: unknown, field: string) => {
      const r = await post(body);
      expect([r.status, JSON.stringify(r.body.message)]).toEqual([400, expect.stringContaining(`${field}:`)]);
    };
    await expect400({}, 'since');
    await expect400({ since: '2026-03-24' }, 'since');
    await expect400({ since: '2026-03-24T15:00:00' }, 'since');
    await expect400({ since: iso(3_600_000), until: 'tomorrow' }, 'until');
    await expect400({ since: iso(60_000), until: iso(3_600_000) }, 'since');
    await expect400({ since: iso(8 * 86_400_000), until: iso(0) }, 'until');
    await expect400({ since: iso(31 * 86_400_000), until: iso(30 * 86_400_000) }, 'since');
    await expect400({ since: iso(60_000), extra: 1 }, 'extra');

    const stranger = createTenant(env, 'stranger');
    expect((await post({ since: iso(60_000) }, w.id, stranger.api_key)).status).toBe(404);
    expect((await post({ since: iso(60_000) }, '000000000000000000000000')).status).toBe(404);
    expect((await post({ since: iso(60_000) }, 'nope')).status).toBe(404);
    expect((await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/recover/000000000000000000000000`)).status).toBe(404);
    expect((await api(svc, null, 'POST', `/v1/webhooks/${w.id}/recover`, { since: iso(60_000) })).status).toBe(401);

    const ok = await post({ since: iso(60_000) });
    expect(ok.body).toMatchObject({ matched: 0, skipped_in_flight: 0 });
    expect((await api(svc, stranger.api_key, 'GET', `/v1/webhooks/${w.id}/recover/${ok.body.recover_id}`)).status).toBe(404);
    expect((await riftAsync(['recover', '--webhook', w.id, '--since', 'yesterday'], env)).status).toBe(2);
  });
});
