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
 * Reads one input-topic message: size limit, JSON, the type's schema, and its event id (given, or
 * derived from topic, partition and offset). The dispatcher and the event store read alike.
 */
export function parseInputMessage(type: EventType, topic: string, partition: number, message: KafkaMessage, maxBytes: number): ParsedInput {
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
