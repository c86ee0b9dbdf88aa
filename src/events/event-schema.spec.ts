import { buildPayload, payloadData, validateEventData } from './event-schema.js';
import { isoSeconds } from '../common/time.js';
import type { EventData } from './dto/event-data.dto.js';

const TENANT = '6650a1b2c3d4e5f6a7b8c9d0';
const EVENT = '66a1b2c3d4e5f6a7b8c9d0e1';
const AT = new Date('2026-03-24T15:00:00.123Z');

const valid = (type: 'click' | 'attribution' | 'conversion', value: Record<string, unknown>): EventData => {
  const r = validateEventData(type, value);
  if (!r.ok) throw new Error(r.reason);
  return r.data;
};

describe('buildPayload', () => {
  it('writes event, timestamp (whole seconds, UTC) and data in the docs order, whatever order the input had', () => {
    const data = valid('click', { timestamp: '2026-03-24T16:00:00+01:00', platform: 'ios', link_id: 'summer-sale', tenant_id: TENANT, referer: null });
    const body = buildPayload('click', data, EVENT, AT);
    expect(body).toBe(
      `{"event":"click","timestamp":"2026-03-24T15:00:00Z","data":{"tenant_id":"${TENANT}","link_id":"summer-sale","referer":null,"platform":"ios","timestamp":"2026-03-24T15:00:00Z"}}`,
    );
  });

  it('puts event_id first in a conversion, the id given here rather than the one in data', () => {
    const data = valid('conversion', {
      metadata: { b: 1, a: 2 },
      currency: 'usd',
      amount_cents: 500,
      conversion_type: 'deposit',
      link_id: 'l1',
      tenant_id: TENANT,
      timestamp: '2026-03-24T15:00:00Z',
    });
    const parsed = JSON.parse(buildPayload('conversion', data, EVENT, AT)) as { data: Record<string, unknown> };
    expect(Object.keys(parsed.data)).toEqual(['event_id', 'tenant_id', 'link_id', 'conversion_type', 'amount_cents', 'currency', 'metadata', 'timestamp']);
    expect(parsed.data.event_id).toBe(EVENT);
    // metadata keeps the producer's own key order
    expect(Object.keys(parsed.data.metadata as object)).toEqual(['b', 'a']);
  });

  it('leaves event_id out of click and attribution data, even when the producer sent one', () => {
    const click = valid('click', { event_id: EVENT, tenant_id: TENANT, link_id: 'l', timestamp: '2026-03-24T15:00:00Z' });
    expect(payloadData('click', click, EVENT)).toEqual({ tenant_id: TENANT, link_id: 'l', timestamp: '2026-03-24T15:00:00Z' });
    const attribution = valid('attribution', { tenant_id: TENANT, link_id: 'l', install_id: 'dev-1', app_version: '1.2.0', timestamp: '2026-03-24T15:00:00Z' });
    expect(Object.keys(payloadData('attribution', attribution, EVENT))).toEqual(['tenant_id', 'link_id', 'install_id', 'app_version', 'timestamp']);
  });

  it('is the same bytes every time for the same input', () => {
    const data = valid('click', { tenant_id: TENANT, link_id: 'l', timestamp: '2026-03-24T15:00:00Z' });
    expect(buildPayload('click', data, EVENT, AT)).toBe(buildPayload('click', data, EVENT, new Date(AT.getTime() + 500)));
  });
});

describe('isoSeconds', () => {
  it('drops the milliseconds and keeps Z', () => {
    expect(isoSeconds(new Date('2026-01-02T03:04:05.999Z'))).toBe('2026-01-02T03:04:05Z');
    expect(isoSeconds(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05Z');
  });
});

describe('validateEventData', () => {
  it('normalises the timestamp to UTC and keeps given fractional seconds', () => {
    expect(valid('click', { tenant_id: TENANT, link_id: 'l', timestamp: '2026-03-24T17:00:00.5+02:00' }).timestamp).toBe('2026-03-24T15:00:00.5Z');
  });

  it('refuses what is not an object, unknown fields and missing ones, naming the field', () => {
    expect(validateEventData('click', [1])).toEqual({ ok: false, reason: 'value must be a JSON object' });
    expect(validateEventData('click', null)).toEqual({ ok: false, reason: 'value must be a JSON object' });
    const unknown = validateEventData('click', { tenant_id: TENANT, link_id: 'l', timestamp: '2026-03-24T15:00:00Z', colour: 'red' });
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.reason).toContain('colour');
    const missing = validateEventData('attribution', { tenant_id: TENANT, link_id: 'l', timestamp: '2026-03-24T15:00:00Z' });
    expect(!missing.ok && missing.reason).toContain('install_id');
  });

  it('wants amount_cents and currency together, and a safe integer amount', () => {
    const base = { tenant_id: TENANT, link_id: 'l', conversion_type: 'deposit', timestamp: '2026-03-24T15:00:00Z' };
    expect(validateEventData('conversion', { ...base, amount_cents: 5 }).ok).toBe(false);
    expect(validateEventData('conversion', { ...base, currency: 'usd' }).ok).toBe(false);
    expect(validateEventData('conversion', { ...base, amount_cents: 2 ** 53, currency: 'usd' }).ok).toBe(false);
    expect(validateEventData('conversion', { ...base, amount_cents: 2 ** 53 - 1, currency: 'usd' }).ok).toBe(true);
  });

  it('keeps a "__proto__" key of metadata as data (a class-transformer copy would drop it)', () => {
    const value = JSON.parse(
      `{"tenant_id":"${TENANT}","link_id":"l","conversion_type":"d","timestamp":"2026-03-24T15:00:00Z","metadata":{"__proto__":{"x":1},"y":2}}`,
    );
    const data = valid('conversion', value);
    const out = JSON.parse(buildPayload('conversion', data, EVENT, AT)) as { data: { metadata: object } };
    expect(Object.keys(out.data.metadata)).toEqual(['__proto__', 'y']);
  });

  it('refuses top-level keys named after Object.prototype ("__proto__", "constructor", ...) and unknown keys', () => {
    const base = `"tenant_id":"${TENANT}","link_id":"l","timestamp":"2026-03-24T15:00:00Z"`;
    const proto = validateEventData('click', JSON.parse(`{${base},"__proto__":{"platform":"ios"}}`));
    expect(proto).toEqual({ ok: false, reason: expect.stringContaining('property __proto__ should not exist') });
    for (const key of ['constructor', 'hasOwnProperty']) {
      expect(validateEventData('click', JSON.parse(`{${base},"${key}":null}`))).toEqual({ ok: false, reason: `property ${key} should not exist` });
    }
    const extra = validateEventData('click', JSON.parse(`{${base},"colour":"red"}`));
    expect(extra).toEqual({ ok: false, reason: expect.stringContaining('property colour should not exist') });
  });

  it('refuses nesting past the limit and strings with U+0000 before schema checks', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const r = validateEventData('conversion', { tenant_id: TENANT, link_id: 'l', conversion_type: 'd', timestamp: '2026-03-24T15:00:00Z', metadata: deep });
    expect(!r.ok && r.reason).toMatch(/nests deeper than \d+ levels/);
    expect(validateEventData('click', { tenant_id: TENANT, link_id: 'l', timestamp: '2026-03-24T15:00:00Z', referer: 'a\u0000b' }).ok).toBe(false);
  });
});
