import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsRfc3339 } from '../../common/rfc3339.js';
import { EVENT_TYPES } from '../../contracts/event-types.js';
import { LINK_ID } from './event-data.dto.js';
import { PageCursor, PageLimit } from '../../common/paging.js';

export class StatsQueryDto {
  @ApiPropertyOptional({ example: '2026-03-01T00:00:00Z', description: 'count events at or after this time (RFC 3339)' })
  @IsOptional()
  @IsRfc3339()
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z', description: 'count events before this time (RFC 3339)' })
  @IsOptional()
  @IsRfc3339()
  to?: string;
}

export class EventsQueryDto {
  @ApiPropertyOptional({ example: 'summer-sale' })
  @IsOptional()
  @IsString()
  @Matches(LINK_ID, { message: 'link_id must be 1-128 characters of letters, digits, . _ ~ -' })
  link_id?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @IsOptional()
  @IsIn(EVENT_TYPES, { message: `type must be one of: ${EVENT_TYPES.join(', ')}` })
  type?: string;

  @ApiPropertyOptional({ example: '2026-03-24T00:00:00Z', description: 'only events whose timestamp is at or after this' })
  @IsOptional()
  @IsRfc3339()
  since?: string;

  @PageLimit(100, 1000)
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class LinkStatsDto {
  @ApiProperty({ example: 'summer-sale' }) link_id!: string;
  @ApiProperty({ example: null, nullable: true, type: String }) from!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) to!: string | null;
  @ApiProperty({ example: 1520 }) clicks!: number;
  @ApiProperty({ example: 87, description: 'attributed installs' }) attributions!: number;
  @ApiProperty({ example: 12 }) conversions!: number;
  @ApiProperty({ example: { deposit: { count: 9, amount_cents: { usd: 90000 } }, signup: { count: 3, amount_cents: {} } } })
  conversions_by_type!: Record<string, { count: number; amount_cents: Record<string, number | string> }>;
  @ApiProperty({
    example: { usd: 90000 },
    description: 'amount_cents summed per currency; a sum past 2^53 - 1 is given as a string of decimal digits so that no digit is lost',
  })
  revenue!: Record<string, number | string>;
  @ApiProperty({ example: '2026-03-24T15:00:00.000Z', nullable: true, type: String }) first_event_at!: string | null;
  @ApiProperty({ example: '2026-03-30T09:12:44.120Z', nullable: true, type: String }) last_event_at!: string | null;
}

export class StoredEventDto {
  @ApiProperty({ example: '66a1b2c3d4e5f6a7b8c9d0e1' }) event_id!: string;
  @ApiProperty({ enum: EVENT_TYPES }) event!: string;
  @ApiProperty({
    description: "the webhook payload's data object",
    example: { tenant_id: '6650a1b2c3d4e5f6a7b8c9d0', link_id: 'summer-sale', platform: 'ios', timestamp: '2026-03-24T15:00:00Z' },
  })
  data!: Record<string, unknown>;
}

export class EventsPageDto {
  @ApiProperty({ type: StoredEventDto, isArray: true }) data!: StoredEventDto[];
  @ApiProperty({ description: 'pass as cursor to get the events after these; returned even when data is empty' }) next_cursor!: string;
}
