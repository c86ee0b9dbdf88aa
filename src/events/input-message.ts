import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { EventType } from '../contracts/event-types.js';
import type { EventData } from './dto/event-data.dto.js';
import { validateEventData } from './event-schema.js';

export type ParsedInput = { ok: true; data: EventData; eventId: string } | { ok: false; reason: string };

/** An id for an event that came without one: the same for every redelivery of that message. */
export function derivedEventId(topic: string, partition: number, offset: string): string {
  return createHash('sha256').update(`${topic}:${partition}:${offset}`).digest('hex').slice(0, 24);
}

/**
 * Messages read once and not yet by the other consumer group of this process. The dispatcher and the
 * event store read every input message (two groups, usually a few hundred offsets apart), and
 * validation (class-validator, and class-transformer until it was dropped here) was a tenth of the dispatcher's CPU in its
 * profile: the second reader takes the first one's result. An entry is dropped when taken, and the
 * oldest once there are CACHE_ENTRIES or CACHE_BYTES of copied message bytes (a group far behind, or
 * one that reads these partitions in another replica, only costs that much). A hit needs the very
 * same bytes (a topic deleted and made again reuses offsets). Results are shared: read-only.
 */
const CACHE_ENTRIES = 2_048;
const CACHE_BYTES = 8 * 1024 * 1024;
const readOnce = new Map<string, { raw: Buffer; parsed: ParsedInput }>();
let cachedBytes = 0;

function take(key: string): { raw: Buffer; parsed: ParsedInput } | undefined {
  const hit = readOnce.get(key);
  if (hit) {
    readOnce.delete(key);
    cachedBytes -= hit.raw.length;
  }
  return hit;
}

function keep(key: string, raw: Buffer, parsed: ParsedInput): void {
  while (readOnce.size > 0 && (readOnce.size >= CACHE_ENTRIES || cachedBytes + raw.length > CACHE_BYTES)) take(readOnce.keys().next().value!);
  // A copy: kafkajs' value is a slice of the whole fetch response, which a reference would keep alive.
  readOnce.set(key, { raw: Buffer.from(raw), parsed });
  cachedBytes += raw.length;
}

/**
 * Reads one input-topic message: size limit, JSON, the type's schema, and its event id (given, or
 * derived from topic, partition and offset). The dispatcher and the event store read alike; the
 * result is shared read-only between them (see readOnce).
 */
export function parseInputMessage(type: EventType, topic: string, partition: number, message: KafkaMessage, maxBytes: number): ParsedInput {
  const raw = message.value;
  if (!raw || raw.length === 0 || raw.length > maxBytes) return parseUncached(type, topic, partition, message, maxBytes);
  const key = `${type}:${topic}:${partition}:${message.offset}:${maxBytes}`;
  const hit = take(key);
  if (hit?.raw.equals(raw)) return hit.parsed;
  const parsed = parseUncached(type, topic, partition, message, maxBytes);
  keep(key, raw, parsed);
  return parsed;
}

function parseUncached(type: EventType, topic: string, partition: number, message: KafkaMessage, maxBytes: number): ParsedInput {
  const raw = message.value;
  if (!raw || raw.length === 0) return { ok: false, reason: 'empty message' };
  if (raw.length > maxBytes) return { ok: false, reason: `message is ${raw.length} bytes, over the ${maxBytes}-byte limit` };
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'value is not valid JSON' };
  }
  const checked = validateEventData(type, value);
  if (!checked.ok) return checked;
  return { ok: true, data: checked.data, eventId: checked.data.event_id ?? derivedEventId(topic, partition, message.offset) };
}
