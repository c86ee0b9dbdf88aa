import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/**
 * What the environment class's decorators share: the string-to-value transforms (an empty variable
 * counts as unset, so its default applies) and the retention-days rule of the Kafka topics.
 */
export const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
export const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === true || value === 'true' || value === '1'
      ? true
      : value === 'false' || value === '0'
        ? false
        : value;

/** Whole days, 1 to 36500, or "unlimited". */
export const RETENTION = /^(unlimited|[1-9]\d{0,3}|[1-2]\d{4}|3[0-5]\d{3}|36[0-4]\d{2}|36500)$/;
export const RETENTION_MESSAGE = (name: string) => `${name} must be whole days (1-36500) or unlimited`;

/** A whole-number setting from `min` to `max` (class-validator's own messages name the variable and the bound). */
export function IntSetting(min: number, max: number): PropertyDecorator {
  return applyDecorators(Transform(toInt), IsInt(), Min(min), Max(max));
}
