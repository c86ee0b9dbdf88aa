import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsRfc3339 } from '../../common/rfc3339.js';
import { PageLimit } from '../../common/paging.js';

export const INTERVALS = ['hour', 'day'] as const;
export type Interval = (typeof INTERVALS)[number];

/** At most this many links in one answer: a console list, not an export (GET /v1/events is the export). */
export const MAX_LINKS = 500;
/** At most this many points in a series: 41 days of hours, or nearly three years of days. */
export const MAX_POINTS = 1000;

export class LinksQueryDto {
  @PageLimit(100, MAX_LINKS)
  limit?: number;
}

export class LinkSummaryDto {
  @ApiProperty({ example: 'summer-sale' }) link_id!: string;
  @ApiProperty({ example: 1520 }) clicks!: number;
  @ApiProperty({ example: 87 }) attributions!: number;
  @ApiProperty({ example: 12 }) conversions!: number;
  @ApiProperty({ example: '2026-03-30T09:12:44.120Z' }) last_event_at!: string;
}

export class LinksDto {
  @ApiProperty({ type: LinkSummaryDto, isArray: true, description: 'the links with stored events, most recently active first' })
  data!: LinkSummaryDto[];
}

export class SeriesQueryDto {
  @ApiPropertyOptional({ enum: INTERVALS, default: 'day' })
  @IsOptional()
  @IsIn(INTERVALS, { message: `interval must be one of: ${INTERVALS.join(', ')}` })
  interval?: Interval;

  @ApiPropertyOptional({
    example: '2026-03-01T00:00:00Z',
    description: 'first bucket: the interval containing this time (RFC 3339); default: 30 days (interval day) or 48 hours (interval hour) before `to`',
  })
  @IsOptional()
  @IsRfc3339()
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z', description: 'end (exclusive), rounded up to a whole interval (RFC 3339); default: now' })
  @IsOptional()
  @IsRfc3339()
  to?: string;
}

export class SeriesPointDto {
  @ApiProperty({ example: '2026-03-24T00:00:00.000Z', description: 'start of the bucket (UTC)' }) at!: string;
  @ApiProperty({ example: 40 }) clicks!: number;
  @ApiProperty({ example: 3 }) attributions!: number;
  @ApiProperty({ example: 1 }) conversions!: number;
  @ApiProperty({ example: { usd: 4999 }, description: 'amount_cents per currency (a string past 2^53 - 1)' })
  revenue!: Record<string, number | string>;
}

export class LinkSeriesDto {
  @ApiProperty({ example: 'summer-sale' }) link_id!: string;
  @ApiProperty({ enum: INTERVALS }) interval!: Interval;
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' }) from!: string;
  @ApiProperty({ example: '2026-04-01T00:00:00.000Z' }) to!: string;
  @ApiProperty({ type: SeriesPointDto, isArray: true, description: 'one point per interval, oldest first, zeros included' })
  points!: SeriesPointDto[];
}
