import type { KafkaMessage } from 'kafkajs';
import { derivedEventId, parseInputMessage } from './input-message.js';

const TENANT = '6650a1b2c3d4e5f6a7b8c9d0';
const message = (value: string | Buffer | null, offset = '7'): KafkaMessage =>
  ({ key: null, value: typeof value === 'string' ? Buffer.from(value) : value, offset, timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage;
const click = (extra: Record<string, unknown> = {}) => JSON.stringify({ tenant_id: TENANT, link_id: 'l', timestamp: '2026-03-24T15:00:00Z', ...extra });

describe('parseInputMessage', () => {
  it('refuses empty, oversized and non-JSON messages with the reason', () => {
    expect(parseInputMessage('click', 't', 0, message(null), 1000)).toEqual({ ok: false, reason: 'empty message' });
    expect(parseInputMessage('click', 't', 0, message(''), 1000)).toEqual({ ok: false, reason: 'empty message' });
    const body = click();
    expect(parseInputMessage('click', 't', 0, message(body), body.length - 1)).toEqual({
      ok: false,
      reason: `message is ${body.length} bytes, over the ${body.length - 1}-byte limit`,
    });
    expect(parseInputMessage('click', 't', 0, message(body), body.length).ok).toBe(true);
    expect(parseInputMessage('click', 't', 0, message('{"tenant_id":'), 1000)).toEqual({ ok: false, reason: 'value is not valid JSON' });
  });

  it('counts the limit in bytes, not characters', () => {
    const body = click({ referer: 'é'.repeat(100) });
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    expect(parseInputMessage('click', 't', 0, message(body), body.length).ok).toBe(false);
  });

  it('passes schema failures through, and checks against the topic type, not a field of the message', () => {
    const r = parseInputMessage('attribution', 't', 0, message(click()), 1000);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain('install_id');
  });

  it('keeps a given event id', () => {
    const r = parseInputMessage('click', 't', 0, message(click({ event_id: '66a1b2c3d4e5f6a7b8c9d0e1' })), 1000);
    expect(r).toMatchObject({ ok: true, eventId: '66a1b2c3d4e5f6a7b8c9d0e1' });
  });

  it('derives a missing id from topic, partition and offset: stable across redeliveries, distinct otherwise', () => {
    const a = parseInputMessage('click', 'rift.events.click', 2, message(click(), '41'), 1000);
    const again = parseInputMessage('click', 'rift.events.click', 2, message(click(), '41'), 1000);
    expect(a.ok && again.ok && a.eventId).toBe(again.ok && again.eventId);
    expect(a.ok && a.eventId).toBe(derivedEventId('rift.events.click', 2, '41'));
    expect(a.ok && a.eventId).toMatch(/^[0-9a-f]{24}$/);
    const ids = new Set([
      derivedEventId('rift.events.click', 2, '41'),
      derivedEventId('rift.events.click', 2, '42'),
      derivedEventId('rift.events.click', 3, '41'),
      derivedEventId('rift.events.conversion', 2, '41'),
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('parseInputMessage shared by the two readers of a message', () => {
  it('hands the second reader of the same message the first one’s result, once', () => {
    const body = click();
    const first = parseInputMessage('click', 'shared', 3, message(body, '41'), 1000);
    const second = parseInputMessage('click', 'shared', 3, message(body, '41'), 1000);
    expect(second).toBe(first); // the same object: not validated again
    const third = parseInputMessage('click', 'shared', 3, message(body, '41'), 1000);
    expect(third).not.toBe(first); // taken once: a third read validates afresh
    expect(third).toEqual(first);
  });

  it('never serves another message’s result: other bytes at the same offset, another offset, another limit', () => {
    const a = parseInputMessage('click', 'other', 0, message(click({ link_id: 'a' }), '5'), 1000);
    const b = parseInputMessage('click', 'other', 0, message(click({ link_id: 'b' }), '5'), 1000); // a topic made again reuses offsets
    expect(a.ok && b.ok && [a.data.link_id, b.data.link_id]).toEqual(['a', 'b']);
    const body = click();
    parseInputMessage('click', 'other', 1, message(body, '9'), 1000);
    expect(parseInputMessage('click', 'other', 1, message(body, '9'), 10).ok).toBe(false); // the limit is part of the answer
  });
});
