import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * RFC 3339 `date-time` (section 5.6): full date, `T`, full time with optional fraction, `Z` or a
 * numeric offset. Shared by every field that takes a date-time (input topics, API, CLI, AsyncAPI).
 */
export const RFC3339_PATTERN =
  /^(?!0000)(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?([Zz]|([+-])([01]\d|2[0-3]):([0-5]\d))$/;

export type Rfc3339 = { ok: true; utc: string; ms: number } | { ok: false; reason: string };

/**
 * Parses an RFC 3339 date-time and gives it back in UTC with `Z`, keeping the fractional seconds
 * exactly as given (none when none were given): `2026-03-24T17:00:00.5+02:00` becomes
 * `2026-03-24T15:00:00.5Z`. Refused: other ISO-8601 forms (week dates, ordinal dates, no seconds,
 * no offset, comma fractions), impossible dates, leap seconds (neither JavaScript nor PostgreSQL can
 * hold second 60 exactly), offsets of 24 hours or more, more than 9 fraction digits, and instants
 * outside the years 0001-9999 once in UTC (PostgreSQL has no year 0; the format has 4 digits).
 */
export function parseRfc3339(input: string, field = 'timestamp'): Rfc3339 {
  const m = RFC3339_PATTERN.exec(input);
  if (!m) return { ok: false, reason: `${field} must be an RFC 3339 date-time such as 2026-03-24T15:00:00Z` };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ?? '';
  const offsetMinutes = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false, reason: `${field} is not a calendar date` };
  if (hour > 23 || minute > 59) return { ok: false, reason: `${field} has an hour or minute out of range` };
  if (second > 59) return { ok: false, reason: `${field} has second ${second}: leap seconds are not accepted` };
  if (m[10] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return { ok: false, reason: `${field} has an offset out of range` };
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0-99 to 1900-1999
  local.setUTCHours(hour, minute, second, 0);
  const ms = local.getTime() - offsetMinutes * 60_000;
  const utcYear = new Date(ms).getUTCFullYear();
  if (utcYear < 1 || utcYear > 9999) return { ok: false, reason: `${field} is outside the years 0001-9999 in UTC` };
  const utc = `${new Date(ms).toISOString().slice(0, 19)}${fraction}Z`;
  return { ok: true, utc, ms: ms + Math.floor(Number(`0${fraction || '.0'}`) * 1000) };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a date-time parseRfc3339 accepts. */
export function isRfc3339(value: unknown): value is string {
  return typeof value === 'string' && parseRfc3339(value).ok;
}

/** The epoch milliseconds of an accepted RFC 3339 date-time (NaN otherwise). */
export function rfc3339Millis(value: string): number {
  const r = parseRfc3339(value);
  return r.ok ? r.ms : NaN;
}

/** class-validator decorator: an RFC 3339 date-time string (see parseRfc3339); the message says what is wrong. */
export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRfc3339',
      validator: {
        validate: (v: unknown, args) => typeof v === 'string' && parseRfc3339(v, args?.property).ok,
        defaultMessage: (args) => {
          const v = args?.value;
          const r = typeof v === 'string' ? parseRfc3339(v, args?.property) : undefined;
          return r && !r.ok ? r.reason : `${args?.property ?? 'value'} must be an RFC 3339 date-time, e.g. 2026-03-24T15:00:00Z`;
        },
      },
    },
    options,
  );
}
