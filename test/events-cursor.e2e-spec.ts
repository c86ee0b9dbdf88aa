import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, hex24 } from './support/fixtures.js';
import { baseEnv, ServiceProcess, uniquePrefix } from './support/service.js';

/**
 * GET /v1/events hands out each event exactly once even while two writers commit out of order. A
 * writer that started first but commits last has the lower txid: a page served in between must not
 * move the cursor past it. This test fails without the snapshot guard in EventStore.page (the page
 * would return the later writer's event, and the earlier one would be skipped for good).
 */
describe('event pages under two concurrent writers (real PostgreSQL)', () => {
  let db: TestDatabase;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: uniquePrefix('cursor'), RIFT_ROLE: 'api' });
    svc = await new ServiceProcess(env).start();
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.drop();
  });

  it('does not skip the event of a writer that began first and committed last', async () => {
    const t = createTenant(env, 'cursor');
    const insert = (c: pg.Client, id: string) =>
      c.query(`INSERT INTO events (tenant_id, id, type, link_id, occurred_at, data) VALUES ($1, $2, 'click', 'l', now(), '{}')`, [t.tenant_id, id]);
    const early = new pg.Client({ connectionString: db.url });
    const late = new pg.Client({ connectionString: db.url });
    await Promise.all([early.connect(), late.connect()]);
    try {
      const [a, b] = [hex24(), hex24()];
      await early.query('BEGIN');
      await insert(early, a); // takes the lower txid
      await late.query('BEGIN');
      await insert(late, b);
      await late.query('COMMIT'); // visible now, while `early` is still open
      const first = await api(svc, t.api_key, 'GET', '/v1/events?limit=10');
      expect(first.status).toBe(200);
      expect(first.body.data.map((e: { event_id: string }) => e.event_id)).toEqual([]); // b waits for a
      await early.query('COMMIT');
      const second = await api(svc, t.api_key, 'GET', `/v1/events?limit=10&cursor=${encodeURIComponent(first.body.next_cursor)}`);
      expect(second.body.data.map((e: { event_id: string }) => e.event_id)).toEqual([a, b]);
      const third = await api(svc, t.api_key, 'GET', `/v1/events?limit=10&cursor=${encodeURIComponent(second.body.next_cursor)}`);
      expect(third.body.data).toEqual([]);
    } finally {
      await Promise.all([early.end(), late.end()]);
    }
  });

  it('answers 400, never 500, for cursors and dates that look valid but are not', async () => {
    const t = createTenant(env, 'bad-input');
    const good = (await api(svc, t.api_key, 'GET', '/v1/events')).body.next_cursor as string;
    const [body] = good.split('.');
    for (const path of [
      `/v1/events?cursor=${encodeURIComponent(`${body}.${'é'.repeat(43)}`)}`, // 43 characters, more bytes
      `/v1/events?cursor=${encodeURIComponent(`${body}.${'A'.repeat(43)}`)}`,
      '/v1/events?since=0000-01-01T00:00:00Z',
      '/v1/events?since=2026-W13-2T15:00:00Z',
      '/v1/events?since=2026-12-31T23:59:60Z',
      '/v1/links/l/stats?from=9999-12-31T23:59:59-23:59',
      '/v1/links/l/stats?from=2026-03-24',
      '/v1/links/l/stats?to=+275760-09-13T00:00:00Z',
    ]) {
      const r = await api(svc, t.api_key, 'GET', path);
      expect([path, r.status]).toEqual([path, 400]);
      expect(r.body.message.join(' ')).toMatch(/cursor|since|from|to/);
    }
  });
});
