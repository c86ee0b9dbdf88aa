import { createHmac } from 'node:crypto';

/** X-Rift-Signature: hex HMAC-SHA256 of the exact body bytes, keyed by the secret's UTF-8 bytes. */
export function sign(body: Buffer, key: Buffer | string): string {
  return createHmac('sha256', key).update(body).digest('hex');
}
