import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `?limit=`: a page size from 1 to `max` (`fallback` when absent), with errors that name the parameter. */
export function PageLimit(fallback: number, max: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ default: fallback, minimum: 1, maximum: max }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be an integer' }),
    Min(1, { message: 'limit must be at least 1' }),
    Max(max, { message: `limit must be at most ${max}` }),
  );
}

/** `?cursor=`: the opaque `next_cursor` of the previous page (signed: see CursorCodec). */
export function PageCursor(description = 'next_cursor of the previous page; keep the same filters'): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ description }), IsOptional(), IsString(), MaxLength(512));
}
