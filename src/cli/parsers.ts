import { InvalidArgumentError } from 'commander';
import { OBJECT_ID } from '../common/ids.js';
import { isRfc3339 } from '../common/rfc3339.js';

/**
 * Option value parsers: commander calls them while it parses the command line, so a bad value is a
 * usage error (exit 2, with the option named) before any connection to Kafka or PostgreSQL opens.
 * Each throws InvalidArgumentError, the one error commander turns into its own message.
 */

const RELATIVE = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m`, `6h`, `2d` (or `45s`) before `now`; undefined when the text is not such a duration. */
export function durationAgo(text: string, now: number): Date | undefined {
  const rel = RELATIVE.exec(text);
  return rel ? new Date(now - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]) : undefined;
}

/** A 24-character lowercase hex id (webhooks, tenants): what every table's ids look like. */
export function objectId(what: string): (value: string) => string {
  return (value) => {
    if (!OBJECT_ID.test(value)) throw new InvalidArgumentError(`A ${what} id is 24 lowercase hex characters.`);
    return value;
  };
}

/** The dlq commands' `--since`: an ISO-8601 time (as `new Date` reads it) or a duration ago. */
export function isoOrAgo(now: () => number): (value: string) => Date {
  return (value) => {
    const since = durationAgo(value, now()) ?? new Date(value);
    if (Number.isNaN(since.getTime())) throw new InvalidArgumentError('Give an ISO-8601 time or a duration like 30m, 6h, 2d.');
    return since;
  };
}

/**
 * `rift recover`'s `--since` and `--until`: an RFC 3339 time kept as given (the API's range rules
 * read the text, as for POST /v1/webhooks/{id}/recover) or a duration ago, written as RFC 3339.
 */
export function rfc3339OrAgo(now: () => number): (value: string) => string {
  return (value) => {
    const ago = durationAgo(value, now());
    if (ago) return ago.toISOString();
    if (!isRfc3339(value)) throw new InvalidArgumentError('Give an RFC 3339 time (2026-03-24T15:00:00Z) or a duration like 30m, 6h, 2d.');
    return value;
  };
}

/** A decimal integer such as `--amount-cents 10000`; range rules stay with the event's validation. */
export function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('Give a whole number.');
  return Number(value);
}

/** A JSON value such as `--metadata '{"tx_hash":"0xabc"}'`. */
export function json(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new InvalidArgumentError('Give JSON.');
  }
}
