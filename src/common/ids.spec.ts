import { newObjectId, OBJECT_ID } from './ids.js';

describe('newObjectId', () => {
  it('is 24 lowercase hex characters led by the seconds of its time, and unique across pool refills', () => {
    const at = Date.UTC(2026, 2, 24, 15, 0, 0);
    const ids = Array.from({ length: 2_000 }, () => newObjectId(at)); // four refills of the 512-id pool
    for (const id of ids) expect(id).toMatch(OBJECT_ID);
    expect(new Set(ids.map((id) => id.slice(0, 8)))).toEqual(new Set([(at / 1000).toString(16)]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(8))).size).toBe(ids.length);
  });

  it('sorts by creation second', () => {
    expect(newObjectId(1_000_000) < newObjectId(2_000_000)).toBe(true);
    expect(newObjectId(0).slice(0, 8)).toBe('00000000');
  });
});
