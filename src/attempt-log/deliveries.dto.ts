import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { OBJECT_ID } from '../common/ids.js';
import { IsRfc3339 } from '../common/rfc3339.js';
import { EVENT_TYPES } from '../contracts/event-types.js';
import { FAILURE_CLASS_LIST } from '../contracts/failure.js';
import { PageCursor, PageLimit } from '../common/paging.js';

export const OUTCOMES = ['succeeded', 'failed'] as const;

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ enum: OUTCOMES, description: 'only successful or only failed attempts' })
  @IsOptional()
  @IsIn(OUTCOMES, { message: `outcome must be one of: ${OUTCOMES.join(', ')}` })
  outcome?: (typeof OUTCOMES)[number];

  @ApiPropertyOptional({ example: '65f1a2b3c4d5e6f7a8b9c0d1', description: 'only the attempts of this event' })
  @IsOptional()
  @IsString()
  @Matches(OBJECT_ID, { message: 'event_id must be 24 lowercase hex characters' })
  event_id?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES, description: 'only the attempts of events of this type' })
  @IsOptional()
  @IsIn(EVENT_TYPES, { message: `event_type must be one of: ${EVENT_TYPES.join(', ')}` })
  event_type?: string;

  @ApiPropertyOptional({ example: '2026-03-24T00:00:00Z', description: 'only attempts made at or after this time (RFC 3339)' })
  @IsOptional()
  @IsRfc3339()
  since?: string;

  @ApiPropertyOptional({ example: '2026-03-25T00:00:00Z', description: 'only attempts made before this time (RFC 3339)' })
  @IsOptional()
  @IsRfc3339()
  until?: string;

  @PageLimit(50, 200)
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class DeliveryAttemptDto {
  @ApiProperty({ example: '6760a1b2c3d4e5f6a7b8c9d0' }) attempt_id!: string;
  @ApiProperty({ example: '65f1a2b3c4d5e6f7a8b9c0d1' }) event_id!: string;
  @ApiProperty({ enum: EVENT_TYPES }) event_type!: string;
  @ApiProperty({ example: 2, description: '1 for the first attempt' }) attempt!: number;
  @ApiProperty({ example: '1s', description: '"first", or the retry tier that made the attempt' }) tier!: string;
  @ApiProperty({ enum: OUTCOMES }) outcome!: string;
  @ApiProperty({ example: 503, nullable: true, type: Number, description: "your endpoint's status code, if it answered" }) status_code!: number | null;
  @ApiProperty({ example: 'http_503', nullable: true, type: String, description: `the failure class, one of: ${FAILURE_CLASS_LIST}` })
  error!: string | null;
  @ApiProperty({ enum: ['delivered', 'retry', 'dead_letter'], description: 'what happened next' }) next!: string;
  @ApiProperty({ example: 182 }) duration_ms!: number;
  @ApiProperty({ example: '2026-03-24T15:00:01.204Z' }) at!: string;
}

export class DeliveriesPageDto {
  @ApiProperty({ type: DeliveryAttemptDto, isArray: true, description: 'newest first' }) data!: DeliveryAttemptDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as cursor for older attempts; null on the last page' }) next_cursor!: string | null;
}

export class DeadLettersQueryDto {
  @PageLimit(50, 200)
  limit?: number;

  @PageCursor('next_cursor of the previous page')
  cursor?: string;
}

export class DeadLetterDto extends DeliveryAttemptDto {
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'when a later attempt of the same event to this webhook succeeded (a retry, recovery or replay); null while it is still undelivered',
  })
  delivered_at!: string | null;
}

export class DeadLettersPageDto {
  @ApiProperty({ type: DeadLetterDto, isArray: true, description: 'the last attempts that handed a delivery to the dead-letter topic, newest first' })
  data!: DeadLetterDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as cursor for older entries; null on the last page' }) next_cursor!: string | null;
}
