import { InvalidArgumentError } from 'commander';
import { durationAgo, integer, isoOrAgo, json, objectId, rfc3339OrAgo } from './parsers.js';

const NOW = Date.parse('2026-03-24T15:00:00.000Z');
const now = () => NOW;

describe('CLI value parsers', () => {
  it('reads durations in seconds, minutes, hours and days back from now; anything else is not one', () => {
    expect(durationAgo('45s', NOW)?.toISOString()).toBe('2026-03-24T14:59:15.000Z');
    expect(durationAgo('30m', NOW)?.toISOString()).toBe('2026-03-24T14:30:00.000Z');
    expect(durationAgo('6h', NOW)?.toISOString()).toBe('2026-03-24T09:00:00.000Z');
    expect(durationAgo('2d', NOW)?.toISOString()).toBe('2026-03-22T15:00:00.000Z');
    for (const text of ['2w', '-1h', '1.5h', 'h', '6 h', '6H', '']) expect(durationAgo(text, NOW)).toBeUndefined();
  });

  it('takes ids of 24 lowercase hex characters only, naming what the id is of', () => {
    const webhook = objectId('webhook');
    expect(webhook('66a1b2c3d4e5f6a7b8c9d0e1')).toBe('66a1b2c3d4e5f6a7b8c9d0e1');
    for (const bad of ['66A1B2C3D4E5F6A7B8C9D0E1', '66a1b2c3d4e5f6a7b8c9d0e', '66a1b2c3d4e5f6a7b8c9d0e1f', 'wh_1', '']) {
      expect(() => webhook(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => objectId('tenant')('x')).toThrow('A tenant id is 24 lowercase hex characters.');
  });

  it("dlq's --since: an ISO-8601 time as Date reads it, or a duration ago", () => {
    const since = isoOrAgo(now);
    expect(since('2h').toISOString()).toBe('2026-03-24T13:00:00.000Z');
    expect(since('2026-03-20T10:00:00Z').toISOString()).toBe('2026-03-20T10:00:00.000Z');
    expect(since('2026-03-20').toISOString()).toBe('2026-03-20T00:00:00.000Z');
    expect(() => since('yesterday-ish')).toThrow('Give an ISO-8601 time or a duration like 30m, 6h, 2d.');
  });

  it("recover's times: RFC 3339 kept as given (the API reads the text), a duration as UTC RFC 3339; other ISO forms refused", () => {
    const time = rfc3339OrAgo(now);
    expect(time('2026-03-24T17:00:00.5+02:00')).toBe('2026-03-24T17:00:00.5+02:00');
    expect(time('5m')).toBe('2026-03-24T14:55:00.000Z');
    for (const bad of ['yesterday', '2026-03-24', '2026-03-24T15:00Z', '2026-03-24T15:00:00', '2026-03-24T15:00:60Z']) {
      expect(() => time(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('reads the clock when a value is parsed, not when the parser is made', () => {
    let t = NOW;
    const since = isoOrAgo(() => t);
    t += 60_000;
    expect(since('1m').toISOString()).toBe('2026-03-24T15:00:00.000Z');
  });

  it('takes whole numbers (the sign is left to the event validation) and JSON', () => {
    expect(integer('10000')).toBe(10000);
    expect(integer('-5')).toBe(-5);
    for (const bad of ['1.5', '1e3', '0x10', '', ' 1', 'ten']) expect(() => integer(bad)).toThrow('Give a whole number.');
    expect(json('{"tx_hash":"0xabc"}')).toEqual({ tx_hash: '0xabc' });
    expect(json('[1]')).toEqual([1]);
    expect(() => json('{')).toThrow('Give JSON.');
  });
});
