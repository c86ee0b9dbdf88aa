import type { TestDatabase } from './database.js';

/**
 * A webhook row written straight to the database whose secret_ciphertext is 60 bytes of `fill`: room
 * for an IV, a tag and a secret, but no RIFT_SECRET_KEY decrypts it (as after a key change), so every
 * delivery to it fails with secret_undecryptable.
 */
export async function insertUndecryptableWebhook(db: TestDatabase, row: { id: string; tenantId: string; url: string; fill: number }): Promise<void> {
  await db.query(`INSERT INTO webhooks (id, tenant_id, url, events, secret_ciphertext) VALUES ($1, $2, $3, ARRAY['click'], $4)`, [
    row.id,
    row.tenantId,
    row.url,
    Buffer.alloc(60, row.fill).toString('base64'),
  ]);
}
