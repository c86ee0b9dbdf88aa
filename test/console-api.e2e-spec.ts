import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, hex24, registerWebhook } from './support/fixtures.js';
import { Receiver } from './support/receiver.js';
import { baseEnv, KAFKA_BROKERS, ServiceProcess, uniquePrefix } from './support/service.js';
import { waitFor } from './support/wait-for.js';

/** The endpoints the console is built on: links, series, one event, delivery filters, dead letters; and /console itself. */
describe('console API: links, series, events/:id, delivery filters, dead letters, /console (real Kafka, Postgres, HTTPS receiver)', () => {
  const prefix = uniquePrefix('console-api');
  let db: TestDatabase;
  let receiver: Receiver;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;
  let publisher: Awaited<ReturnType<typeof createEventPublisher>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    receiver = await new Receiver().start();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, WEBHOOK_RETRY_SCHEDULE: '0,0.2', WEBHOOK_CACHE_TTL_MS: '300' });
    svc = await new ServiceProcess({ ...env, RIFT_ROLE: 'all' }).start();
    publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix });
  });

  afterAll(async () => {
    await publisher?.close();
    await svc?.stop();
    await receiver?.stop();
    await db?.drop();
  });

  it('serves the console with a strict Content-Security-Policy and no inline script', async () => {
    const page = await fetch(`${svc.url}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/console/app.js"></script>');
    expect(html).not.toMatch(/<script>[^<]/);
    const js = await fetch(`${svc.url}/console/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${svc.url}/console/app.css`)).status).toBe(200);
    const missing = await fetch(`${svc.url}/console/nothing.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain('nothing.js');
    const spec = (await (await fetch(`${svc.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const p of ['/v1/links', '/v1/links/{link_id}/series', '/v1/events/{event_id}', '/v1/webhooks/{id}/dead-letters']) expect(spec.paths[p]).toBeDefined();
    expect(spec.paths['/console']).toBeUndefined();
  });

  it('lists links, a series per hour and per day, and one stored event; tenant-scoped', async () => {
    const t = createTenant(env);
    const other = createTenant(env, 'other');
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const now = new Date().toISOString();
    const c1 = await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'spring', timestamp: hourAgo });
    await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'spring', timestamp: now });
    await publisher.publish('conversion', {
      tenant_id: t.tenant_id,
      link_id: 'spring',
      conversion_type: 'purchase',
      amount_cents: 1250,
      currency: 'usd',
      timestamp: now,
    });
    await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'autumn', timestamp: hourAgo });
    await publisher.publish('click', { tenant_id: other.tenant_id, link_id: 'theirs', timestamp: now });
    await waitFor(async () => (await db.query('SELECT count(*)::int AS n FROM events'))[0]!.n === 5, { what: 'the events to be stored' });

    const links = await api(svc, t.api_key, 'GET', '/v1/links');
    expect(links.status).toBe(200);
    expect(links.body.data.map((l: { link_id: string }) => l.link_id)).toEqual(['spring', 'autumn']);
    expect(links.body.data[0]).toMatchObject({ link_id: 'spring', clicks: 2, attributions: 0, conversions: 1 });

    const hours = await api(svc, t.api_key, 'GET', '/v1/links/spring/series?interval=hour');
    expect(hours.status).toBe(200);
    expect(hours.body.points).toHaveLength(48);
    const nonZero = hours.body.points.filter((p: { clicks: number; conversions: number }) => p.clicks + p.conversions > 0);
    expect(nonZero.map((p: { clicks: number }) => p.clicks)).toEqual([1, 1]);
    expect(nonZero[1]).toMatchObject({ conversions: 1, revenue: { usd: 1250 } });
    expect(new Date(hours.body.points[1].at).getTime() - new Date(hours.body.points[0].at).getTime()).toBe(3_600_000);
    const days = await api(svc, t.api_key, 'GET', '/v1/links/spring/series');
    expect(days.body).toMatchObject({ interval: 'day' });
    expect(days.body.points).toHaveLength(30);
    expect(days.body.points.reduce((s: number, p: { clicks: number }) => s + p.clicks, 0)).toBe(2);
    expect((await api(svc, other.api_key, 'GET', '/v1/links/spring/series?interval=hour')).body.points.every((p: { clicks: number }) => p.clicks === 0)).toBe(
      true,
    );

    const ev = await api(svc, t.api_key, 'GET', `/v1/events/${c1.event_id}`);
    expect(ev.status).toBe(200);
    expect(ev.body).toMatchObject({ event_id: c1.event_id, event: 'click', data: { tenant_id: t.tenant_id, link_id: 'spring' } });
    expect(typeof ev.body.stored_at).toBe('string');
    expect((await api(svc, other.api_key, 'GET', `/v1/events/${c1.event_id}`)).status).toBe(404);
    expect((await api(svc, t.api_key, 'GET', '/v1/events/not-an-id')).status).toBe(404);
    expect((await api(svc, null, 'GET', '/v1/links')).status).toBe(401);
  });

  it('rejects bad series and link queries with 400s that name the parameter', async () => {
    const t = createTenant(env);
    const bad = async (path: string, word: string) => {
      const r = await api(svc, t.api_key, 'GET', path);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.message)).toContain(word);
    };
    await bad('/v1/links/spring/series?interval=week', 'interval');
    await bad('/v1/links/spring/series?interval=hour&from=2020-01-01T00:00:00Z', 'at most 1000');
    await bad('/v1/links/spring/series?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'from must be before to');
    await bad('/v1/links/spring/series?from=yesterday', 'from');
    await bad('/v1/links?limit=0', 'limit');
    await bad('/v1/links?limit=501', 'limit');
  });

  it('filters deliveries by event type and time, and lists dead letters until a later attempt delivers them', async () => {
    const t = createTenant(env);
    const other = createTenant(env, 'other');
    let broken = true;
    receiver.script('/c/dl', () => (broken ? { status: 503 } : undefined));
    const w = await registerWebhook(svc, t.api_key, receiver.url('/c/dl'), ['click', 'conversion']);
    const click = await publisher.publish('click', { tenant_id: t.tenant_id, link_id: 'dl', timestamp: new Date().toISOString() });
    const conv = await publisher.publish('conversion', {
      tenant_id: t.tenant_id,
      link_id: 'dl',
      conversion_type: 'signup',
      timestamp: new Date().toISOString(),
    });
    const deadPath = `/v1/webhooks/${w.id}/dead-letters`;
    const dead = await waitFor(
      async () => {
        const r = await api(svc, t.api_key, 'GET', deadPath);
        return r.body.data.length === 2 ? r.body.data : undefined;
      },
      { what: 'two dead letters', timeoutMs: 30_000 },
    );
    expect(dead.map((d: { event_id: string }) => d.event_id).sort()).toEqual([click.event_id, conv.event_id].sort());
    expect(dead[0]).toMatchObject({ next: 'dead_letter', outcome: 'failed', status_code: 503, attempt: 2, delivered_at: null });

    const clicks = await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?event_type=click`);
    expect(clicks.body.data).toHaveLength(2);
    expect(clicks.body.data.every((a: { event_id: string }) => a.event_id === click.event_id)).toBe(true);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?since=${future}`)).body.data).toHaveLength(0);
    expect((await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?until=${future}`)).body.data).toHaveLength(4);
    const one = await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?event_type=conversion&limit=1`);
    expect(one.body.data).toHaveLength(1);
    const next = await api(
      svc,
      t.api_key,
      'GET',
      `/v1/webhooks/${w.id}/deliveries?event_type=conversion&limit=1&cursor=${encodeURIComponent(one.body.next_cursor)}`,
    );
    expect(next.body.data[0].attempt_id).not.toBe(one.body.data[0].attempt_id);
    // A cursor only works with the filters it was made with.
    expect(
      (await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?event_type=click&limit=1&cursor=${encodeURIComponent(one.body.next_cursor)}`)).status,
    ).toBe(400);
    expect((await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?event_type=login`)).status).toBe(400);
    expect((await api(svc, t.api_key, 'GET', `/v1/webhooks/${w.id}/deliveries?since=${future}&until=${future}`)).status).toBe(400);

    broken = false;
    expect((await api(svc, t.api_key, 'POST', `/v1/webhooks/${w.id}/deliveries/${click.event_id}/retry`)).status).toBe(202);
    const after = await waitFor(
      async () => {
        const r = await api(svc, t.api_key, 'GET', deadPath);
        return r.body.data.find((d: { event_id: string; delivered_at: string | null }) => d.event_id === click.event_id && d.delivered_at);
      },
      { what: 'the dead letter to be delivered', timeoutMs: 30_000 },
    );
    expect(new Date(after.delivered_at).getTime()).toBeGreaterThan(new Date(after.at).getTime());
    expect((await api(svc, t.api_key, 'GET', deadPath)).body.data.find((d: { event_id: string }) => d.event_id === conv.event_id).delivered_at).toBeNull();

    expect((await api(svc, other.api_key, 'GET', deadPath)).status).toBe(404);
    expect((await api(svc, t.api_key, 'GET', `/v1/webhooks/${hex24()}/dead-letters`)).status).toBe(404);
    expect((await api(svc, t.api_key, 'GET', `${deadPath}?limit=500`)).status).toBe(400);
  });
});
