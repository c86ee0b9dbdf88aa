import { type HttpException } from '@nestjs/common';
import { AttemptLogStore } from '../src/attempt-log/attempt-log.store.js';
import type { AttemptRecord } from '../src/contracts/attempt-record.js';
import { DeliveriesService } from '../src/attempt-log/deliveries.service.js';
import type { DeliveriesQueryDto } from '../src/attempt-log/deliveries.dto.js';
import { WebhookLookup } from '../src/webhooks/webhook-lookup.js';
import { seedTenant, storeHarness, type StoreHarness } from './support/store-module.js';
import { hex24 } from './support/store-rows.js';

/**
 * AttemptLogStore's SQL (idempotent inserts, filters, keyset order, dead letters, purge) and the
 * cursors of DeliveriesService, in process (POST .../retry, which needs Kafka, is covered end to end).
 */
describe('AttemptLogStore and DeliveriesService (store tier)', () => {
  let h: StoreHarness;
  let store: AttemptLogStore;
  let service: DeliveriesService;
  let t: string;
  let w: string;

  const record = (over: Partial<AttemptRecord>): AttemptRecord => ({
    id: hex24(),
    tenant_id: t,
    webhook_id: w,
    event_id: hex24(),
    event_type: 'click',
    attempt: 1,
    tier: 'first',
    outcome: 'failed',
    status_code: 503,
    error: 'http_503',
    next: 'retry',
    duration_ms: 12,
    at: '2026-03-24T10:00:00.000Z',
    ...over,
  });
  const seedWebhook = async (tenant: string) => {
    const id = hex24();
    await h.db.query(
      "INSERT INTO webhooks (id, tenant_id, url, events, secret_ciphertext) VALUES ($1, $2, 'https://example.com/h', '{click,conversion}', 'x')",
      [id, tenant],
    );
    return id;
  };
  /** The attempt ids of the webhook in the order the API promises: newest first, ties by id. */
  const expectedOrder = async (where = 'true', params: unknown[] = []) =>
    (await h.db.query<{ id: string }>(`SELECT id FROM delivery_attempts WHERE webhook_id = $1 AND ${where} ORDER BY at DESC, id DESC`, [w, ...params])).map(
      (r) => r.id,
    );

  beforeAll(async () => {
    h = await storeHarness([AttemptLogStore, DeliveriesService, WebhookLookup]);
    store = h.module.get(AttemptLogStore);
    service = h.module.get(DeliveriesService);
    t = await seedTenant(h.db, hex24());
    w = await seedWebhook(t);
  });
  afterAll(() => h?.close());

  it('stores a batch, and a record seen again once', async () => {
    const a = record({ at: '2026-03-20T00:00:00.000Z' });
    expect(await store.insertBatch([a, record({ at: '2026-03-20T00:00:01.000Z' })])).toBe(2);
    expect(await store.insertBatch([a])).toBe(0);
    expect(await store.insertBatch([])).toBe(0);
  });

  describe('listing', () => {
    const shared = '2026-03-24T12:00:00.000Z';
    const eventA = hex24();
    beforeAll(async () => {
      const rows: AttemptRecord[] = [];
      // Five attempts at the very same millisecond: only the id breaks the tie.
      for (let i = 0; i < 5; i++) rows.push(record({ at: shared }));
      for (let i = 0; i < 6; i++) rows.push(record({ at: `2026-03-24T1${i}:30:00.000Z`, event_type: i % 2 ? 'conversion' : 'click' }));
      rows.push(record({ event_id: eventA, at: '2026-03-24T09:00:00.000Z', outcome: 'failed' }));
      rows.push(
        record({
          event_id: eventA,
          at: '2026-03-24T09:00:01.000Z',
          attempt: 2,
          tier: '1s',
          outcome: 'succeeded',
          status_code: 200,
          error: null,
          next: 'delivered',
        }),
      );
      await store.insertBatch(rows);
    });

    async function walk(q: Omit<DeliveriesQueryDto, 'cursor'>): Promise<string[][]> {
      const pages: string[][] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 100; i++) {
        const page = await service.list(t, w, { ...q, cursor });
        pages.push(page.data.map((d) => d.attempt_id));
        if (!page.next_cursor) return pages;
        cursor = page.next_cursor;
      }
      throw new Error('no end of pages');
    }

    it('pages newest first with ties broken by id: nothing twice, nothing skipped', async () => {
      const all = await expectedOrder();
      expect(all.length).toBe(15);
      const pages = await walk({ limit: 4 });
      expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 3]);
      expect(pages.flat()).toEqual(all);
    });

    it('gives a last cursor when the last page is exactly full, and then an empty page', async () => {
      const pages = await walk({ limit: 5 });
      expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 0]);
    });

    it('filters by outcome, event, type and a half-open time range', async () => {
      expect((await walk({ outcome: 'succeeded' })).flat()).toEqual(await expectedOrder("outcome = 'succeeded'"));
      expect((await walk({ event_id: eventA })).flat()).toHaveLength(2);
      expect((await walk({ event_type: 'conversion', limit: 2 })).flat()).toEqual(await expectedOrder("event_type = 'conversion'"));
      const ranged = (await walk({ since: '2026-03-24T12:00:00Z', until: '2026-03-24T13:30:00Z', limit: 3 })).flat();
      expect(ranged).toEqual(await expectedOrder("at >= '2026-03-24T12:00:00Z' AND at < '2026-03-24T13:30:00Z'"));
      expect(ranged).toHaveLength(6); // the five at 12:00:00 and the one at 12:30; 13:30 itself is out
    });

    it('returns the columns as the API shows them', async () => {
      const { data } = await service.list(t, w, { event_id: eventA, outcome: 'succeeded' });
      expect(data).toEqual([
        {
          attempt_id: data[0]!.attempt_id,
          event_id: eventA,
          event_type: 'click',
          attempt: 2,
          tier: '1s',
          outcome: 'succeeded',
          status_code: 200,
          error: null,
          next: 'delivered',
          duration_ms: 12,
          at: '2026-03-24T09:00:01.000Z',
        },
      ]);
    });

    it('refuses a cursor used with other filters (400), and another tenant or webhook (404)', async () => {
      const first = await service.list(t, w, { limit: 2 });
      const err = await service.list(t, w, { limit: 2, outcome: 'failed', cursor: first.next_cursor! }).catch((e: unknown) => e);
      expect((err as HttpException).getStatus()).toBe(400);
      const otherTenant = await seedTenant(h.db, hex24());
      for (const [tenant, webhook] of [
        [otherTenant, w],
        [t, hex24()],
        [t, 'nope'],
      ]) {
        expect(((await service.list(tenant!, webhook!, {}).catch((e: unknown) => e)) as HttpException).getStatus()).toBe(404);
      }
    });
  });

  describe('dead letters', () => {
    let w2: string;
    const [later, never, elsewhere] = [hex24(), hex24(), hex24()];
    beforeAll(async () => {
      w2 = await seedWebhook(t);
      const dead = (event_id: string, at: string) => record({ webhook_id: w2, event_id, at, attempt: 4, tier: '25s', next: 'dead_letter' });
      await store.insertBatch([
        dead(later, '2026-03-24T10:00:00.000Z'),
        record({
          webhook_id: w2,
          event_id: later,
          at: '2026-03-24T11:00:00.000Z',
          outcome: 'succeeded',
          status_code: 200,
          error: null,
          next: 'delivered',
          tier: 'first',
        }),
        dead(never, '2026-03-24T10:05:00.000Z'),
        record({ webhook_id: w2, event_id: never, at: '2026-03-24T09:00:00.000Z', outcome: 'succeeded', status_code: 200, error: null, next: 'delivered' }), // before: does not count
        dead(elsewhere, '2026-03-24T10:10:00.000Z'),
        record({ webhook_id: w, event_id: elsewhere, at: '2026-03-24T11:00:00.000Z', outcome: 'succeeded', status_code: 200, error: null, next: 'delivered' }), // other webhook
      ]);
    });

    it('lists only attempts that went to the DLQ, with when a later attempt delivered the event', async () => {
      const { data, next_cursor } = await service.deadLetters(t, w2, {});
      expect(data.map((d) => [d.event_id, d.next, d.delivered_at])).toEqual([
        [elsewhere, 'dead_letter', null],
        [never, 'dead_letter', null],
        [later, 'dead_letter', '2026-03-24T11:00:00.000Z'],
      ]);
      expect(next_cursor).toBeNull();
      const first = await service.deadLetters(t, w2, { limit: 2 });
      const second = await service.deadLetters(t, w2, { limit: 2, cursor: first.next_cursor! });
      expect([...first.data, ...second.data].map((d) => d.event_id)).toEqual([elsewhere, never, later]);
    });
  });

  it('purges attempts older than the cutoff in bounded batches, and nothing newer', async () => {
    const before = await h.db.query<{ n: string }>("SELECT count(*) AS n FROM delivery_attempts WHERE at < '2026-03-24T00:00:00Z'");
    const after = await h.db.query<{ n: string }>("SELECT count(*) AS n FROM delivery_attempts WHERE at >= '2026-03-24T00:00:00Z'");
    expect(Number(before[0]!.n)).toBe(2);
    await store.insertBatch([1, 2, 3].map((s) => record({ at: `2026-03-01T00:00:0${s}.000Z` })));
    expect(await store.purgeBefore(new Date('2026-03-24T00:00:00Z'), 2)).toBe(5);
    const left = await h.db.query<{ old: string; total: string }>(
      "SELECT count(*) FILTER (WHERE at < '2026-03-24T00:00:00Z') AS old, count(*) AS total FROM delivery_attempts",
    );
    expect(left[0]).toEqual({ old: '0', total: after[0]!.n });
  });
});
