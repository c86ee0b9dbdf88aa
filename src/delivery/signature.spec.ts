import { createHmac, timingSafeEqual } from 'node:crypto';
import { sign } from './signature.js';

describe('sign', () => {
  // Known-answer vector (RFC 4231 test case 2: key "Jefe").
  it('matches the RFC 4231 HMAC-SHA256 vector', () => {
    expect(sign(Buffer.from('what do ya want for nothing?'), 'Jefe')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it("verifies with the Node function from Rift's docs, keyed by the hex secret as text", () => {
    const secret = 'a1b2c3d4'.repeat(8);
    const body = Buffer.from('{"event":"click","timestamp":"2026-03-24T15:00:00Z","data":{"link_id":"summer-sale"}}');
    const signature = sign(body, Buffer.from(secret, 'utf8'));
    // The docs' verifyWebhook(body, signature, secret):
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(timingSafeEqual(Buffer.from(expected), Buffer.from(signature))).toBe(true);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });
});
