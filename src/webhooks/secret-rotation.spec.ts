import { effectiveSecrets } from './secret-rotation.js';
import { TestSendLimiter } from '../delivery/test-send-limiter.js';

describe('effectiveSecrets', () => {
  const now = new Date('2026-03-24T12:00:00Z');
  it('old signs, new is next, until the overlap ends; then the new one alone', () => {
    expect(effectiveSecrets({ secretCiphertext: 'old', nextSecretCiphertext: null, rotationEndsAt: null }, now)).toEqual({ current: 'old' });
    const rotating = { secretCiphertext: 'old', nextSecretCiphertext: 'new', rotationEndsAt: new Date(now.getTime() + 1) };
    expect(effectiveSecrets(rotating, now)).toEqual({ current: 'old', next: 'new' });
    expect(effectiveSecrets({ ...rotating, rotationEndsAt: now }, now)).toEqual({ current: 'new' });
  });
});

describe('TestSendLimiter', () => {
  it('allows N per webhook per sliding minute and says when the next slot frees', () => {
    const l = new TestSendLimiter(2);
    expect(l.take('a', 0)).toBe(0);
    expect(l.take('a', 10_000)).toBe(0);
    expect(l.take('a', 20_000)).toBe(40);
    expect(l.take('b', 20_000)).toBe(0);
    expect(l.take('a', 60_001)).toBe(0);
  });
});
