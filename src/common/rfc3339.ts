import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * RFC 3339 `date-time` (section 5.6): full date, `T` (or `t`), full time with seconds, optional
 * fraction, and a mandatory offset (`Z` or `+hh:mm`). ISO-8601 forms RFC 3339 leaves out (no offset,
 * week dates, ordinal dates, `2026-03-24` alone, basic format) are refused. Shared by every field
 * that takes a date-time, so the API, the CLI and the input topics agree.
 */
export const RFC3339_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

export function isRfc3339(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = RFC3339_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  // 60 is a leap second, which RFC 3339 allows.
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  if (second === 60) {
    // A leap second is the last second of a UTC day (23:59:60Z, or the same instant in an offset).
    const sign = m[8]!.startsWith('-') ? -1 : 1;
    const offset = m[9] === undefined ? 0 : sign * (Number(m[9]) * 60 + Number(m[10]));
    const utcMinutes = (((hour * 60 + minute - offset) % 1440) + 1440) % 1440;
    if (utcMinutes !== 1439) return false;
  }
  return !Number.isNaN(Date.parse(value.replace(/:60(?=[.Zz+-])/, ':59')));
}

/** The epoch milliseconds of an RFC 3339 date-time (a leap second counts as :59.999). */
export function parseRfc3339(value: string): number {
  return Date.parse(value.replace(/:60(?=[.Zz+-])/, ':59.999'));
}

/** class-validator decorator: `<field> must be an RFC 3339 date-time, e.g. 2026-03-24T15:00:00Z`. */
export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRfc3339',
      validator: {
        validate: (value) => isRfc3339(value),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an RFC 3339 date-time, e.g. 2026-03-24T15:00:00Z`,
      },
    },
    options,
  );
}
