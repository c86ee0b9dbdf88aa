import pg from 'pg';
import { createEventPublisher } from '../src/events/event-publisher.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, hex24, produceRaw } from './support/fixtures.js';
import { baseEnv, KAFKA_BROKERS, ServiceProcess, uniquePrefix } from './support/service.js';
import { sleep, waitFor } from './support/wait-for.js';

/** The event store and the reconciliation endpoints, against real Kafka and PostgreSQL. */
describe('event store, link stats and event pages', () => {
  const prefix = uniquePrefix('store');
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let apiSvc: ServiceProcess;
  let worker: ServiceProcess;
  let publisher: Awaited<ReturnType<typeof createEventPublisher>>;
  const stored = async (tenantId: string) => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE tenant_id = $1', [tenantId]))[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, KAFKA_SESSION_TIMEOUT_MS: '6000' });
    apiSvc = await new ServiceProcess({ ...env, RIFT_ROLE: 'api' }).start();
    worker = await new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' }).start();
    publisher = await createEventPublisher({ brokers: KAFKA_BROKERS.split(','), topicPrefix: prefix, logLevel: 0 });
  });
  afterAll(async () => {
    await publisher?.close();
    await worker?.stop();
    await apiSvc?.stop();
    await db?.drop();
  });

  it('counts exactly what was published for the link by the tenant, duplicates and strangers aside', async () => {
    const t = createTenant(env, 'stats');
    const other = createTenant(env, 'other');
    const link = 'summer-sale';
    const at = (hhmm: string) => `2026-03-24T${hhmm}:00Z`;
    const base = { tenant_id: t.tenant_id, link_id: link };
    const published: string[] = [];
    const pub = async (type: 'click' | 'attribution' | 'conversion', data: Record<string, unknown>) =>
      published.push((await publisher.publish(type, { ...base, ...data })).event_id);
    await pub('click', { timestamp: at('10:30'), platform: 'ios' });
    await pub('click', { timestamp: at('11:10') });
    await pub('click', { timestamp: at('11:50') });
    await pub('attribution', { timestamp: at('12:20'), install_id: 'd1' });
    await pub('conversion', { timestamp: at('12:40'), conversion_type: 'deposit', amount_cents: 10000, currency: 'usd' });
    await pub('conversion', { timestamp: at('14:00'), conversion_type: 'deposit', amount_cents: 2500, currency: 'usd' });
    await pub('conversion', { timestamp: at('14:05'), conversion_type: 'deposit', amount_cents: 700, currency: 'eur' });
    await pub('conversion', { timestamp: at('14:10'), conversion_type: 'signup' });
    // Duplicates: the same event id published again, and the same message bytes produced twice.
    const dupId = published[4]!;
    await publisher.publish('conversion', {
      ...base,
      event_id: dupId,
      timestamp: at('12:40'),
      conversion_type: 'deposit',
      amount_cents: 10000,
      currency: 'usd',
    });
    const raw = JSON.stringify({ ...base, event_id: hex24(), timestamp: at('15:00'), install_id: 'd2' });
    await produceRaw(`${prefix}.events.attribution`, [
      { key: t.tenant_id, value: raw },
      { key: t.tenant_id, value: raw },
    ]);
    // Not counted: an unknown tenant, another tenant's link of the same name, another link.
    await publisher.publish('click', { tenant_id: hex24(), link_id: link, timestamp: at('11:00') });
    await publisher.publish('click', { tenant_id: other.tenant_id, link_id: link, timestamp: at('11:00') });
    await pub('click', { link_id: 'winter-sale', timestamp: at('11:00') });

    await waitFor(async () => (await stored(t.tenant_id)) === 10, { what: '10 stored events' });
    await waitFor(async () => (await stored(other.tenant_id)) === 1, { what: "the other tenant's event" });
    await sleep(500);
    expect(await stored(t.tenant_id)).toBe(10);

    const s = await api(apiSvc, t.api_key, 'GET', `/v1/links/${link}/stats`);
    expect(s.status).toBe(200);
    expect(s.body).toEqual({
      link_id: link,
      from: null,
      to: null,
      clicks: 3,
      attributions: 2,
      conversions: 4,
      conversions_by_type: { deposit: { count: 3, amount_cents: { usd: 12500, eur: 700 } }, signup: { count: 1, amount_cents: {} } },
      revenue: { usd: 12500, eur: 700 },
      first_event_at: '2026-03-24T10:30:00.000Z',
      last_event_at: '2026-03-24T15:00:00.000Z',
    });

    // Bounds cutting through hours: whole hours from the rollup, edges from the events.
    const bounded = await api(apiSvc, t.api_key, 'GET', `/v1/links/${link}/stats?from=2026-03-24T11:00:00Z&to=2026-03-24T14:05:00Z`);
    expect(bounded.body).toMatchObject({
      clicks: 2,
      attributions: 1,
      conversions: 2,
      revenue: { usd: 12500 },
      conversions_by_type: { deposit: { count: 2, amount_cents: { usd: 12500 } } },
      first_event_at: '2026-03-24T11:10:00.000Z',
      last_event_at: '2026-03-24T14:00:00.000Z',
    });
    const inside = await api(apiSvc, t.api_key, 'GET', `/v1/links/${link}/stats?from=2026-03-24T14:01:00Z&to=2026-03-24T14:09:00Z`);
    expect(inside.body).toMatchObject({ clicks: 0, conversions: 1, revenue: { eur: 700 } });

    const strangers = await api(apiSvc, other.api_key, 'GET', `/v1/links/${link}/stats`);
    expect(strangers.body).toMatchObject({ clicks: 1, attributions: 0, conversions: 0 });
    const empty = await api(apiSvc, t.api_key, 'GET', '/v1/links/never-used/stats');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      link_id: 'never-used',
      from: null,
      to: null,
      clicks: 0,
      attributions: 0,
      conversions: 0,
      conversions_by_type: {},
      revenue: {},
      first_event_at: null,
      last_event_at: null,
    });
  });

  it('answers 400 naming the parameter for bad link ids, dates, bounds, limits and cursors', async () => {
    const t = createTenant(env, 'bad-input');
    const bad = async (path: string, field: string) => {
      const r = await api(apiSvc, t.api_key, 'GET', path);
      expect([path, r.status]).toEqual([path, 400]);
      expect(JSON.stringify(r.body.message)).toContain(field);
    };
    await bad(`/v1/links/${encodeURIComponent('bad link!')}/stats`, 'link_id');
    await bad('/v1/links/ok/stats?from=yesterday', 'from');
    await bad('/v1/links/ok/stats?to=2026-13-45', 'to');
    await bad('/v1/links/ok/stats?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'from');
    await bad('/v1/links/ok/stats?extra=1', 'extra');
    await bad('/v1/events?limit=0', 'limit');
    await bad('/v1/events?limit=1001', 'limit');
    await bad('/v1/events?limit=ten', 'limit');
    await bad('/v1/events?type=purchase', 'type');
    await bad('/v1/events?since=now', 'since');
    await bad('/v1/events?cursor=abc', 'cursor');
    const page = await api(apiSvc, t.api_key, 'GET', '/v1/events?limit=1');
    const [body, mac] = (page.body.next_cursor as string).split('.');
    const forged = Buffer.from(JSON.stringify({ x: '999', s: '0', f: JSON.parse(Buffer.from(body!, 'base64url').toString()).f })).toString('base64url');
    await bad(`/v1/events?cursor=${forged}.${mac}`, 'cursor');
    await bad(`/v1/events?type=click&cursor=${page.body.next_cursor}`, 'cursor');
  });

  it("pages in write order when one transaction's sequence numbers change digit count (numeric, not text, order)", async () => {
    const t = createTenant(env, 'digits');
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      // One statement, so one txid, with seq 996..1005: sorted as text, "1000" would come before "996".
      await c.query("SELECT setval(pg_get_serial_sequence('events', 'seq'), 995)");
      const ids = Array.from({ length: 10 }, () => hex24());
      await c.query(
        `INSERT INTO events (tenant_id, id, type, link_id, occurred_at, data)
         SELECT $1, id, 'click', 'digits', now(), json_build_object('event_id', id) FROM unnest($2::text[]) WITH ORDINALITY AS u(id, n) ORDER BY n`,
        [t.tenant_id, ids],
      );
      const seen: string[] = [];
      let cursor = '';
      for (let i = 0; i < 5; i++) {
        const r = await api(apiSvc, t.api_key, 'GET', `/v1/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...r.body.data.map((e: { event_id: string }) => e.event_id));
        cursor = r.body.next_cursor;
      }
      expect(seen).toEqual(ids);
    } finally {
      await c.end();
    }
  });

  it('pages through every event exactly once while more are published', async () => {
    const t = createTenant(env, 'pager');
    const ids = new Set<string>();
    const publish = async (n: number) => {
      for (let i = 0; i < n; i++)
        ids.add((await publisher.publish('click', { tenant_id: t.tenant_id, link_id: `p${i % 3}`, timestamp: new Date().toISOString() })).event_id);
    };
    await publish(200);
    const more = publish(300);
    const seen: string[] = [];
    let cursor: string | undefined;
    const deadline = Date.now() + 60_000;
    let done = false;
    while (Date.now() < deadline) {
      const r = await api(apiSvc, t.api_key, 'GET', `/v1/events?limit=37${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      for (const e of r.body.data) {
        expect(e).toEqual({
          event_id: expect.any(String),
          event: 'click',
          data: { tenant_id: t.tenant_id, link_id: expect.any(String), timestamp: expect.any(String) },
        });
        seen.push(e.event_id);
      }
      cursor = r.body.next_cursor;
      if (done && r.body.data.length === 0 && seen.length >= ids.size) break;
      if (r.body.data.length === 0) await sleep(100);
      done ||= await Promise.race([more.then(() => true), sleep(0).then(() => false)]);
    }
    await more;
    expect(seen.length).toBe(500);
    expect(new Set(seen).size).toBe(500);
    expect(new Set(seen)).toEqual(ids);
    // Filters page too.
    const onlyP1 = await api(apiSvc, t.api_key, 'GET', '/v1/events?link_id=p1&limit=1000');
    expect(onlyP1.body.data.length).toBe(Array.from({ length: 500 }, (_, i) => i).filter((i) => i % 3 === 1).length);
    expect(onlyP1.body.data.every((e: { data: { link_id: string } }) => e.data.link_id === 'p1')).toBe(true);
  });

  it('loses and duplicates nothing when the event-store consumer is SIGKILLed mid-stream', async () => {
    const t = createTenant(env, 'crash');
    const total = 4000;
    const streaming = (async () => {
      for (let i = 0; i < total; i += 100) {
        await Promise.all(
          Array.from({ length: 100 }, (_, j) =>
            publisher.publish('conversion', {
              tenant_id: t.tenant_id,
              link_id: 'crash',
              conversion_type: 'deposit',
              amount_cents: 1,
              currency: 'usd',
              timestamp: new Date(Date.UTC(2026, 2, 24, 0, 0, (i + j) % 86_400)).toISOString(),
            }),
          ),
        );
      }
    })();
    await waitFor(async () => (await stored(t.tenant_id)) >= 800, { what: '800 stored', timeoutMs: 60_000 });
    await worker.kill('SIGKILL');
    await sleep(500);
    worker = await new ServiceProcess({ ...env, RIFT_ROLE: 'dispatcher' }).start();
    await streaming;
    await waitFor(async () => (await stored(t.tenant_id)) >= total, { what: `${total} stored`, timeoutMs: 90_000 });
    await sleep(1000);
    expect(await stored(t.tenant_id)).toBe(total);
    const s = await api(apiSvc, t.api_key, 'GET', '/v1/links/crash/stats');
    expect(s.body).toMatchObject({ conversions: total, revenue: { usd: total }, conversions_by_type: { deposit: { count: total } } });
  });
});
