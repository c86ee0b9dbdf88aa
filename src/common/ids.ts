import { randomBytes } from 'node:crypto';

/**
 * A 24-character lowercase hex id in MongoDB ObjectId style (as in Rift's docs): 4 bytes of
 * seconds since the epoch, then 8 random bytes. Ids sort roughly by creation time.
 */
export function newObjectId(now = Date.now()): string {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(Math.floor(now / 1000) >>> 0);
  return head.toString('hex') + randomBytes(8).toString('hex');
}

export const OBJECT_ID = /^[0-9a-f]{24}$/;
