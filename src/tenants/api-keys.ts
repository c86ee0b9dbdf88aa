import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'rl_live_';
/** What is accepted as a key: rl_live_ + 32 to 128 base64url characters (generated keys have 43: 32 random bytes). */
export const API_KEY_FORMAT = /^rl_live_[A-Za-z0-9_-]{32,128}$/;
/** How much of a key is kept in clear, to name it in listings and `rift key revoke`. */
export const KEY_PREFIX_LENGTH = 16;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Keys carry 256 random bits, so one SHA-256 is enough to make the stored form useless to a thief
 * (no salt or slow hash needed, and it allows lookup by hash).
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
