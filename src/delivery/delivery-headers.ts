import { createHmac } from 'node:crypto';
import { sign } from './signature.js';

export const USER_AGENT = 'Rift-Webhooks/0.1 (+https://riftl.ink)';

/** The keys a webhook signs with right now (see webhooks/secret-rotation.ts). */
export interface SigningKeys {
  /** Signs X-Rift-Signature: the secret, or the old one during a rotation's overlap. */
  signingKey: Buffer;
  /** During a rotation's overlap: the new secret, for X-Rift-Signature-Next and a second webhook-signature. */
  nextSigningKey?: Buffer;
}

/** Standard Webhooks `webhook-signature` entry: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">. */
export function standardSignature(key: Buffer, id: string, timestamp: number, body: Buffer): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/**
 * Every header of a delivery: the published docs' (`X-Rift-*`) and Standard Webhooks'
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`), all over the exact body bytes sent.
 * The Standard Webhooks key is the same bytes as the docs' (the secret's UTF-8), so its
 * `whsec_` form is `whsec_` + base64 of those bytes.
 */
export function deliveryHeaders(
  keys: SigningKeys,
  d: { eventId: string; eventType: string; attempt: number; body: Buffer; test?: boolean },
  now = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  const signatures = [standardSignature(keys.signingKey, d.eventId, timestamp, d.body)];
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': USER_AGENT,
    'X-Rift-Signature': sign(d.body, keys.signingKey),
    'X-Rift-Event': d.eventType,
    'X-Rift-Event-Id': d.eventId,
    'X-Rift-Attempt': String(d.attempt),
  };
  if (keys.nextSigningKey) {
    headers['X-Rift-Signature-Next'] = sign(d.body, keys.nextSigningKey);
    signatures.push(standardSignature(keys.nextSigningKey, d.eventId, timestamp, d.body));
  }
  if (d.test) headers['X-Rift-Test'] = 'true';
  headers['webhook-id'] = d.eventId;
  headers['webhook-timestamp'] = String(timestamp);
  headers['webhook-signature'] = signatures.join(' ');
  return headers;
}
