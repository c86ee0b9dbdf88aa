import { HttpException } from '@nestjs/common';
import { EventStore } from '../src/events/event-store.js';
import { EventsService } from '../src/events/events.service.js';
import type { EventsQueryDto } from '../src/events/dto/events-query.dto.js';
import { seedTenant, storeHarness, type StoreHarness } from './support/store-module.js';
import { eventRow, eventsVisible, hex24 } from './support/store-rows.js';

/** EventStore's SQL (insert with rollup, stats edges, keyset pages) and EventsService's cursors, in process. */
describe('EventStore and EventsService (store tier)', () => {
  let h: StoreHarness;
  let store: EventStore;
  let service: EventsService;

  beforeAll(async () => {
    h = await storeHarness([EventStore, EventsService]);
    store = h.module.get(EventStore);
    service = h.module.get(EventsService);
  });
  afterAll(() => h?.close());

  describe('insertBatch', () => {
    it('stores new events once, skips unknown tenants, and counts only what is new', async () => {
      const t = await seedTenant(h.db, hex24());
      const a = eventRow(t, 'click', 'ins', '2026-03-24T10:15:00Z');
      const b = eventRow(t, 'click', 'ins', '2026-03-24T10:20:00Z');
      const stranger = eventRow(hex24(), 'click', 'ins', '2026-03-24T10:20:00Z');
      expect(await store.insertBatch([a, b, { ...a }, stranger])).toBe(2);
      expect(await store.insertBatch([a, b])).toBe(0);
      expect(await store.insertBatch([])).toBe(0);
      const rows = await h.db.query<{ id: string }>('SELECT id FROM events WHERE link_id = $1 ORDER BY id', ['ins']);
      expect(rows.map((r) => r.id)).toEqual([a.id, b.id].sort());
      const [bucket] = await h.db.query<{ count: string; first_at: Date; last_at: Date }>(
        "SELECT count, first_at, last_at FROM link_stats_hourly WHERE tenant_id = $1 AND link_id = 'ins'",
        [t],
      );
      expect(bucket!.count).toBe('2'); // the duplicate and the repeated batch added nothing
      expect([bucket!.first_at.toISOString(), bucket!.last_at.toISOString()]).toEqual(['2026-03-24T10:15:00.000Z', '2026-03-24T10:20:00.000Z']);
    });

    it('keeps the data key order (json, not jsonb)', async () => {
      const t = await seedTenant(h.db, hex24());
      const row = eventRow(t, 'click', 'order', '2026-03-24T10:00:00Z', { data: { z: 1, a: 2, m: 3 } });
      await store.insertBatch([row]);
      const [stored] = await h.db.query<{ data: string }>('SELECT data::text AS data FROM events WHERE id = $1', [row.id]);
      expect(stored!.data).toBe('{"z":1,"a":2,"m":3}');
    });
  });

  describe('stats', () => {
    let t: string;
    beforeAll(async () => {
      t = await seedTenant(h.db, hex24());
      const big = 2 ** 53 - 1;
      await store.insertBatch([
        eventRow(t, 'click', 'st', '2026-03-24T10:15:00Z'),
        eventRow(t, 'click', 'st', '2026-03-24T10:45:00Z'),
        eventRow(t, 'attribution', 'st', '2026-03-24T11:30:00Z'),
        eventRow(t, 'conversion', 'st', '2026-03-24T11:40:00Z', { amountCents: big, currency: 'usd' }),
        eventRow(t, 'conversion', 'st', '2026-03-24T11:50:00Z', { amountCents: big, currency: 'usd' }),
        eventRow(t, 'conversion', 'st', '2026-03-24T12:05:00Z', { conversionType: 'signup' }),
        eventRow(t, 'click', 'other-link', '2026-03-24T11:00:00Z'),
      ]);
    });

    it('adds whole hours from the rollup and the cut hours from raw events', async () => {
      const s = await service.stats(t, 'st', { from: '2026-03-24T10:30:00Z', to: '2026-03-24T12:10:00Z' });
      expect(s).toMatchObject({
        clicks: 1,
        attributions: 1,
        conversions: 3,
        first_event_at: '2026-03-24T10:45:00.000Z',
        last_event_at: '2026-03-24T12:05:00.000Z',
      });
      expect(s.conversions_by_type).toEqual({ deposit: { count: 2, amount_cents: { usd: '18014398509481982' } }, signup: { count: 1, amount_cents: {} } });
      expect(s.revenue).toEqual({ usd: '18014398509481982' }); // past 2^53: exact, as a string
    });

    it('counts an event at `from` and leaves out one at `to` (half-open)', async () => {
      const s = await service.stats(t, 'st', { from: '2026-03-24T10:15:00Z', to: '2026-03-24T10:45:00Z' });
      expect(s.clicks).toBe(1);
      const whole = await service.stats(t, 'st', { from: '2026-03-24T11:00:00Z', to: '2026-03-24T12:00:00Z' });
      expect([whole.clicks, whole.attributions, whole.conversions]).toEqual([0, 1, 2]);
    });

    it('without bounds counts everything of the link and nothing of another', async () => {
      const s = await service.stats(t, 'st', {});
      expect([s.clicks, s.attributions, s.conversions]).toEqual([2, 1, 3]);
      expect((await service.stats(hex24(), 'st', {})).clicks).toBe(0);
    });
  });

  describe('pages of GET /v1/events', () => {
    let t: string;
    let all: string[];
    beforeAll(async () => {
      t = await seedTenant(h.db, hex24());
      const other = await seedTenant(h.db, hex24());
      // Three writes (three transactions), with another tenant's events in between.
      for (let batch = 0; batch < 3; batch++) {
        const rows = Array.from({ length: 8 }, (_, i) =>
          eventRow(t, i % 3 === 0 ? 'conversion' : 'click', i % 2 ? 'odd' : 'even', `2026-03-2${batch + 1}T10:0${i}:00Z`),
        );
        await store.insertBatch(rows.slice(0, batch === 2 ? 7 : 8));
        await store.insertBatch([eventRow(other, 'click', 'odd', '2026-03-22T10:00:00Z')]);
      }
      await eventsVisible(h.db);
      all = (await h.db.query<{ id: string }>('SELECT id FROM events WHERE tenant_id = $1 ORDER BY txid, seq', [t])).map((r) => r.id);
    });

    /** Follows next_cursor until an empty page; returns the pages' ids. */
    async function walk(q: Omit<EventsQueryDto, 'cursor'>): Promise<{ pages: string[][]; last: string }> {
      const pages: string[][] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 100; i++) {
        const page = await service.page(t, { ...q, cursor });
        if (page.data.length === 0) return { pages, last: page.next_cursor };
        expect(page.data.length).toBeLessThanOrEqual(q.limit ?? 100);
        pages.push(page.data.map((e) => e.event_id));
        cursor = page.next_cursor;
      }
      throw new Error('no end of pages');
    }

    it('returns every event of the tenant once, in write order, across pages', async () => {
      expect(all).toHaveLength(23);
      const { pages } = await walk({ limit: 5 });
      expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
      expect(pages.flat()).toEqual(all);
    });

    it('filters by link, type and since, and pages within the filter', async () => {
      const expected = (
        await h.db.query<{ id: string }>(
          "SELECT id FROM events WHERE tenant_id = $1 AND link_id = 'odd' AND type = 'click' AND occurred_at >= '2026-03-22T00:00:00Z' ORDER BY txid, seq",
          [t],
        )
      ).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(2);
      const { pages } = await walk({ link_id: 'odd', type: 'click', since: '2026-03-22T00:00:00Z', limit: 2 });
      expect(pages.flat()).toEqual(expected);
      const conversions = (await h.db.query<{ id: string }>("SELECT id FROM events WHERE tenant_id = $1 AND type = 'conversion' ORDER BY txid, seq", [t])).map(
        (r) => r.id,
      );
      expect(conversions).toHaveLength(9);
      const page = await service.page(t, { type: 'conversion' });
      expect(page.data.map((e) => e.event_id)).toEqual(conversions);
    });

    it('hands out events written after the last page from its cursor, exactly once', async () => {
      const { last } = await walk({ limit: 10 });
      const late = [eventRow(t, 'click', 'late', '2026-03-25T10:00:00Z'), eventRow(t, 'click', 'late', '2026-03-25T10:01:00Z')];
      await store.insertBatch(late);
      await eventsVisible(h.db);
      const next = await service.page(t, { limit: 10, cursor: last });
      expect(next.data.map((e) => e.event_id).sort()).toEqual(late.map((r) => r.id).sort());
      expect((await service.page(t, { limit: 10, cursor: next.next_cursor })).data).toEqual([]);
      all.push(...next.data.map((e) => e.event_id));
    });

    it('gives back the stored data object', async () => {
      const page = await service.page(t, { limit: 1 });
      expect(page.data[0]).toMatchObject({ event_id: all[0], data: { tenant_id: t, n: all[0] } });
    });

    it('refuses a cursor with other filters, and a tampered one, as 400', async () => {
      const first = await service.page(t, { link_id: 'odd', limit: 2 });
      const refusal = async (q: EventsQueryDto) => {
        const err = await service.page(t, q).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(HttpException);
        expect((err as HttpException).getStatus()).toBe(400);
        return ((err as HttpException).getResponse() as { message: string[] }).message;
      };
      expect(await refusal({ link_id: 'even', limit: 2, cursor: first.next_cursor })).toEqual(['cursor was issued for other filters']);
      const [body, mac] = first.next_cursor.split('.');
      const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), s: '0' })).toString('base64url')}.${mac}`;
      expect(await refusal({ link_id: 'odd', limit: 2, cursor: forged })).toEqual(['cursor is not one this API issued']);
    });
  });
});
