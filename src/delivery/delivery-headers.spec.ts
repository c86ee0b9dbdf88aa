import { Webhook as SvixWebhook } from 'svix';
import { Webhook } from 'standardwebhooks';
import { sign } from './signature.js';
import { deliveryHeaders, standardSignature } from './delivery-headers.js';
import { standardWebhooksSecret } from '../webhooks/secret-format.js';

describe('Standard Webhooks signatures', () => {
  it("matches the specification's known-answer vector", () => {
    // From the Standard Webhooks reference libraries' tests.
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    expect(standardSignature(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, Buffer.from('{"test": 2432232314}'))).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  const secret = 'a1b2c3d4'.repeat(8);
  const key = Buffer.from(secret, 'utf8');
  const body = Buffer.from('{"event":"click","timestamp":"2026-03-24T15:00:00Z","data":{"link_id":"summer-sale"}}');
  const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

  it('verifies with standardwebhooks and svix through the whsec_ form, and X-Rift-Signature as the docs say', () => {
    const h = deliveryHeaders({ signingKey: key }, { eventId: '6650a1b2c3d4e5f6a7b8c9d0', eventType: 'click', attempt: 2, body });
    expect(h['webhook-id']).toBe('6650a1b2c3d4e5f6a7b8c9d0');
    expect(h['webhook-id']).toBe(h['X-Rift-Event-Id']);
    expect(h['X-Rift-Signature']).toBe(sign(body, key));
    expect(h['X-Rift-Signature-Next']).toBeUndefined();
    expect(h['X-Rift-Test']).toBeUndefined();
    const whsec = standardWebhooksSecret(secret);
    expect(whsec).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(whsec).verify(body.toString(), lower(h))).toEqual(JSON.parse(body.toString()));
    // svix 2.x verify() returns nothing and throws on a bad signature.
    expect(() => new SvixWebhook(whsec).verify(body.toString(), lower(h))).not.toThrow();
    expect(() => new SvixWebhook(standardWebhooksSecret('00'.repeat(32))).verify(body.toString(), lower(h))).toThrow();
  });

  it('during a rotation signs with both secrets; either one verifies', () => {
    const next = 'f0e1d2c3'.repeat(8);
    const h = deliveryHeaders(
      { signingKey: key, nextSigningKey: Buffer.from(next) },
      { eventId: '6650a1b2c3d4e5f6a7b8c9d0', eventType: 'click', attempt: 1, body, test: true },
    );
    expect(h['webhook-signature'].split(' ')).toHaveLength(2);
    expect(h['X-Rift-Signature']).toBe(sign(body, key));
    expect(h['X-Rift-Signature-Next']).toBe(sign(body, Buffer.from(next)));
    expect(h['X-Rift-Test']).toBe('true');
    for (const s of [secret, next]) expect(() => new Webhook(standardWebhooksSecret(s)).verify(body.toString(), lower(h))).not.toThrow();
    expect(() => new Webhook(standardWebhooksSecret('00'.repeat(32))).verify(body.toString(), lower(h))).toThrow();
  });
});
