import type { SecretBox } from '../common/secret-box.js';
/** Longest overlap a rotation may ask for: 30 days. */
export const MAX_OVERLAP_SECONDS = 30 * 86_400;
/** The overlap when the caller does not say: one day, time to deploy the new secret. */
export const DEFAULT_OVERLAP_SECONDS = 86_400;

export interface StoredSecrets {
  secretCiphertext: string;
  nextSecretCiphertext: string | null;
  rotationEndsAt: Date | null;
}

/**
 * Which sealed secret signs what at `now`. During a rotation's overlap the old secret keeps signing
 * X-Rift-Signature (receivers that changed nothing keep working) and the new one is `next`
 * (X-Rift-Signature-Next, and a second webhook-signature). Once the overlap has ended the new
 * secret is the secret, whether or not a write has folded it into `secret_ciphertext` yet.
 */
export function effectiveSecrets(s: StoredSecrets, now: Date): { current: string; next?: string } {
  if (s.nextSecretCiphertext === null) return { current: s.secretCiphertext };
  if (s.rotationEndsAt === null || s.rotationEndsAt <= now) return { current: s.nextSecretCiphertext };
  return { current: s.secretCiphertext, next: s.nextSecretCiphertext };
}

/** The HMAC keys deliveries use now: the secret(s) as UTF-8 bytes. */
export interface SigningKeys {
  signingKey: Buffer;
  nextSigningKey?: Buffer;
}

/** Opens the secrets that sign at `now`; throws when one does not decrypt (RIFT_SECRET_KEY changed, a row copied by hand). */
export function openSigningKeys(box: SecretBox, row: StoredSecrets & { id: string }, now: Date): SigningKeys {
  const secrets = effectiveSecrets(row, now);
  const open = (sealed: string) => Buffer.from(box.open(sealed, row.id), 'utf8');
  return { signingKey: open(secrets.current), nextSigningKey: secrets.next === undefined ? undefined : open(secrets.next) };
}
