import { HttpException } from '@nestjs/common';
import { EventStore } from '../src/events/event-store.js';
import { LinksService } from '../src/events/links.service.js';
import { LinksStore } from '../src/events/links.store.js';
import { seedTenant, storeHarness, type StoreHarness } from './support/store-module.js';
import { eventRow, hex24 } from './support/store-rows.js';

/** LinksStore's SQL over the hourly rollup (links, series) and the stored-event lookup, in process. */
describe('LinksStore and LinksService (store tier)', () => {
  let h: StoreHarness;
  let service: LinksService;
  let t: string;
  let other: string;
  let conversionId: string;

  beforeAll(async () => {
    h = await storeHarness([EventStore, LinksStore, LinksService]);
    service = h.module.get(LinksService);
    const events = h.module.get(EventStore);
    [t, other] = [await seedTenant(h.db, hex24()), await seedTenant(h.db, hex24())];
    const conversion = eventRow(t, 'conversion', 'spring', '2026-03-24T14:30:00Z', { amountCents: 250, currency: 'eur' });
    conversionId = conversion.id;
    await events.insertBatch([
      eventRow(t, 'click', 'spring', '2026-03-23T09:00:00Z'),
      eventRow(t, 'click', 'spring', '2026-03-24T14:10:00Z'),
      eventRow(t, 'attribution', 'spring', '2026-03-24T14:20:00Z'),
      conversion,
      eventRow(t, 'conversion', 'spring', '2026-03-24T15:05:00Z', { amountCents: 100, currency: 'eur' }),
      eventRow(t, 'click', 'autumn', '2026-03-24T16:00:00Z'),
      eventRow(t, 'click', 'winter', '2026-03-20T08:00:00Z'),
      eventRow(t, 'click', 'alpha', '2026-03-20T08:00:00Z'),
      eventRow(other, 'click', 'spring', '2026-03-25T00:00:00Z'),
    ]);
  });
  afterAll(() => h?.close());

  it('lists the tenant links, most recent first, ties by link id, with counts per type', async () => {
    const { data } = await service.links(t);
    expect(data).toEqual([
      { link_id: 'autumn', clicks: 1, attributions: 0, conversions: 0, last_event_at: '2026-03-24T16:00:00.000Z' },
      { link_id: 'spring', clicks: 2, attributions: 1, conversions: 2, last_event_at: '2026-03-24T15:05:00.000Z' },
      { link_id: 'alpha', clicks: 1, attributions: 0, conversions: 0, last_event_at: '2026-03-20T08:00:00.000Z' },
      { link_id: 'winter', clicks: 1, attributions: 0, conversions: 0, last_event_at: '2026-03-20T08:00:00.000Z' },
    ]);
  });

  it('stops at the limit', async () => {
    expect((await service.links(t, 2)).data.map((l) => l.link_id)).toEqual(['autumn', 'spring']);
  });

  it('sums a link per hour within [from, to), revenue per currency', async () => {
    const s = await service.series(t, 'spring', { interval: 'hour', from: '2026-03-24T14:00:00Z', to: '2026-03-24T16:00:00Z' });
    expect(s.points).toEqual([
      { at: '2026-03-24T14:00:00.000Z', clicks: 1, attributions: 1, conversions: 1, revenue: { eur: 250 } },
      { at: '2026-03-24T15:00:00.000Z', clicks: 0, attributions: 0, conversions: 1, revenue: { eur: 100 } },
    ]);
  });

  it('sums a link per UTC day, leaving out other tenants and days outside the range', async () => {
    const s = await service.series(t, 'spring', { interval: 'day', from: '2026-03-23T00:00:00Z', to: '2026-03-25T00:00:00Z' });
    expect(s.points.map((p) => [p.at, p.clicks, p.attributions, p.conversions, p.revenue])).toEqual([
      ['2026-03-23T00:00:00.000Z', 1, 0, 0, {}],
      ['2026-03-24T00:00:00.000Z', 1, 1, 2, { eur: 350 }],
    ]);
  });

  it("finds one stored event of the tenant, and not another tenant's", async () => {
    const e = await service.event(t, conversionId);
    expect(e).toMatchObject({ event_id: conversionId, event: 'conversion', data: { link_id: 'spring', n: conversionId } });
    expect(Number.isNaN(Date.parse(e.stored_at))).toBe(false);
    for (const [tenant, id] of [
      [other, conversionId],
      [t, hex24()],
      [t, 'not-an-id'],
    ] as const) {
      const err = await service.event(tenant, id).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(HttpException);
      expect((err as HttpException).getStatus()).toBe(404);
    }
  });
});
