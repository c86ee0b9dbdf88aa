import { LinksService } from './links.service.js';
import type { LinksStore, SeriesRow } from './links.store.js';

/** The series' bucket arithmetic over a stand-in store (the SQL itself is covered by test/console-api.e2e-spec.ts). */
describe('LinksService.series', () => {
  const calls: unknown[][] = [];
  const rows: SeriesRow[] = [];
  const store = {
    series: async (...args: unknown[]) => (calls.push(args), rows),
  } as unknown as LinksStore;
  const service = new LinksService(store);
  const now = new Date('2026-03-24T15:20:00Z');

  beforeEach(() => {
    calls.length = 0;
    rows.length = 0;
  });

  it('defaults to 48 whole hours ending with the current hour, zeros included', async () => {
    const s = await service.series('t', 'spring', { interval: 'hour' }, now);
    expect(s.from).toBe('2026-03-22T16:00:00.000Z');
    expect(s.to).toBe('2026-03-24T16:00:00.000Z');
    expect(s.points).toHaveLength(48);
    expect(s.points.every((p) => p.clicks === 0 && Object.keys(p.revenue).length === 0)).toBe(true);
    expect(calls[0]).toEqual(['t', 'spring', 'hour', new Date(s.from), new Date(s.to)]);
  });

  it('defaults to 30 UTC days, and rounds from down and to up', async () => {
    expect((await service.series('t', 'spring', {}, now)).points).toHaveLength(30);
    const s = await service.series('t', 'spring', { interval: 'day', from: '2026-03-01T12:00:00Z', to: '2026-03-03T00:00:01Z' }, now);
    expect([s.from, s.to]).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-04T00:00:00.000Z']);
    expect(s.points.map((p) => p.at)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
  });

  it('adds rows into their buckets, revenue per currency exactly', async () => {
    const at = new Date('2026-03-24T14:00:00Z');
    rows.push(
      { at, type: 'click', currency: '', count: 3n, amount_cents: '0' },
      { at, type: 'conversion', currency: 'usd', count: 1n, amount_cents: '9007199254740993' },
      { at, type: 'conversion', currency: 'eur', count: 2n, amount_cents: '500' },
      { at, type: 'attribution', currency: '', count: 1n, amount_cents: '0' },
    );
    const s = await service.series('t', 'spring', { interval: 'hour' }, now);
    const p = s.points.find((x) => x.at === at.toISOString())!;
    expect(p).toEqual({ at: at.toISOString(), clicks: 3, attributions: 1, conversions: 3, revenue: { usd: '9007199254740993', eur: 500 } });
  });

  it('refuses a reversed range, too many points and a bad link id, naming the parameter', async () => {
    await expect(service.series('t', 'spring', { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, now)).rejects.toThrow();
    await expect(service.series('t', 'spring', { interval: 'hour', from: '2026-01-01T00:00:00Z' }, now)).rejects.toMatchObject({
      response: { message: ['to: at most 1000 hours between from and to'] },
    });
    await expect(service.series('t', '-bad', {}, now)).rejects.toMatchObject({ status: 400 });
  });
});
