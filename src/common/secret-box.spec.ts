import { SecretBox } from './secret-box.js';

const box = new SecretBox(Buffer.alloc(32, 1));
const WEBHOOK = '66a1b2c3d4e5f6a7b8c9d0e1';

describe('SecretBox', () => {
  it('opens what it sealed, with a fresh IV each time', () => {
    const a = box.seal('whsec_abc', WEBHOOK);
    const b = box.seal('whsec_abc', WEBHOOK);
    expect(a).not.toBe(b);
    expect(box.open(a, WEBHOOK)).toBe('whsec_abc');
    expect(box.open(b, WEBHOOK)).toBe('whsec_abc');
    expect(Buffer.from(a, 'base64').length).toBe(12 + 16 + 'whsec_abc'.length);
  });

  it('refuses a ciphertext moved to another webhook (the id is bound as associated data)', () => {
    const sealed = box.seal('whsec_abc', WEBHOOK);
    expect(() => box.open(sealed, '66a1b2c3d4e5f6a7b8c9d0e2')).toThrow();
  });

  it('refuses another key, a flipped byte anywhere, and a truncated value', () => {
    const sealed = box.seal('whsec_abc', WEBHOOK);
    expect(() => new SecretBox(Buffer.alloc(32, 2)).open(sealed, WEBHOOK)).toThrow();
    const raw = Buffer.from(sealed, 'base64');
    for (const at of [0, 12, 28, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at]! ^= 1;
      expect(() => box.open(bad.toString('base64'), WEBHOOK)).toThrow();
    }
    expect(() => box.open(raw.subarray(0, 27).toString('base64'), WEBHOOK)).toThrow('sealed secret is too short');
  });

  it('keeps UTF-8 and the empty string intact', () => {
    expect(box.open(box.seal('clé-🔑', WEBHOOK), WEBHOOK)).toBe('clé-🔑');
    expect(box.open(box.seal('', WEBHOOK), WEBHOOK)).toBe('');
  });

  it('wants a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow('SecretBox needs a 32-byte key');
  });
});
