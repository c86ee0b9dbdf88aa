import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface CursorPosition {
  txid: bigint;
  seq: bigint;
}

/**
 * Opaque, tamper-evident cursors for GET /v1/events: the position and a hash of the filters, signed
 * with a key derived from RIFT_SECRET_KEY. A forged or altered cursor, or one used with other
 * filters, is refused.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secretKey: Buffer) {
    this.key = createHash('sha256').update('rift events cursor').update(secretKey).digest();
  }

  encode(pos: CursorPosition, filters: string): string {
    const body = Buffer.from(JSON.stringify({ x: pos.txid.toString(), s: pos.seq.toString(), f: this.filterHash(filters) })).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The position, or an error message naming what is wrong. */
  decode(cursor: string, filters: string): CursorPosition | string {
    const [body, mac] = cursor.split('.');
    if (!body || !mac || mac.length !== 43) return 'cursor is malformed';
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac); // 43 characters can be more than 43 bytes, and timingSafeEqual throws on a length mismatch
    if (given.length !== expected.length || !timingSafeEqual(expected, given)) return 'cursor is not one this API issued';
    try {
      const j = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { x: string; s: string; f: string };
      if (j.f !== this.filterHash(filters)) return 'cursor was issued for other filters';
      return { txid: BigInt(j.x), seq: BigInt(j.s) };
    } catch {
      return 'cursor is malformed';
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  private filterHash(filters: string): string {
    return createHash('sha256').update(filters).digest('base64url').slice(0, 16);
  }
}
