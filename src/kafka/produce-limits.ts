import type { OutgoingMessage } from './producer.js';

/** Record overhead per message beyond key, value and headers (varints, attributes, offsets): generous. */
const RECORD_OVERHEAD_BYTES = 64;

/** How many of an oversized message's first bytes its reference keeps. */
const REFERENCE_HEAD_BYTES = 1024;

/** A message the broker will never take: retrying cannot help. */
export class MessageTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`message of ${bytes} bytes is over the broker's limit of ${limit} bytes (KAFKA_MAX_MESSAGE_BYTES)`);
  }
}

/** What a message weighs on the wire, near enough to stay under the broker's limit. */
export function messageBytes(m: OutgoingMessage): number {
  const len = (v: string | Buffer | null | undefined) => (v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  let headers = 0;
  for (const [k, v] of Object.entries(m.headers ?? {}))
    headers += Buffer.byteLength(k) + (Array.isArray(v) ? v.reduce((n, x) => n + len(x as string | Buffer), 0) : len(v as string | Buffer | undefined));
  return len(m.key) + len(m.value) + headers + RECORD_OVERHEAD_BYTES;
}

/** Splits items, in order, into chunks of at most `maxBytes` (an item alone may reach it). */
export function chunkByBytes<T extends { bytes: number }>(items: T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const it of items) {
    if (current.length > 0 && size + it.bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(it);
    size += it.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const TOO_LARGE_TYPES = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
/** kafkajs' messages for those two types (its retry wrappers keep the message but not the type). */
const TOO_LARGE_MESSAGE = /larger than the max message size|message batch larger than the configured segment size/i;

/** kafkajs' errors for a message or record batch over the broker's limits, wrapped or not. */
export function isTooLarge(err: unknown): boolean {
  if (err instanceof MessageTooLargeError) return true;
  for (let e = err as { type?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (TOO_LARGE_TYPES.has(e.type ?? '') || TOO_LARGE_MESSAGE.test(e.message ?? '')) return true;
  }
  return false;
}

/**
 * What is set aside instead of a message too large to produce: where it was going and where it came
 * from, its size, the reason and its first bytes. Not the message itself, which cannot fit.
 */
export function tooLargeReference(
  topic: string,
  m: OutgoingMessage,
  err: MessageTooLargeError,
  origin?: { topic: string; partition: number; offset: string },
): OutgoingMessage {
  const value = m.value == null ? Buffer.alloc(0) : typeof m.value === 'string' ? Buffer.from(m.value) : m.value;
  return {
    key: m.key ?? null,
    value: value.subarray(0, REFERENCE_HEAD_BYTES),
    headers: {
      'rift-reason': err.message,
      'rift-reference': 'true',
      'rift-target-topic': topic,
      'rift-size-bytes': String(err.bytes),
      ...(origin ? { 'rift-source-topic': origin.topic, 'rift-source-partition': String(origin.partition), 'rift-source-offset': origin.offset } : {}),
      'rift-set-aside-at': new Date().toISOString(),
    },
  };
}
