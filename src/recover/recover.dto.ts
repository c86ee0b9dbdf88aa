import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional } from 'class-validator';
import { IsRfc3339 } from '../common/rfc3339.js';

export class RecoverRequestDto {
  @ApiProperty({ example: '2026-03-24T14:00:00Z', description: 'RFC 3339; events whose `timestamp` is at or after it' })
  @IsDefined({ message: 'since is required' })
  @IsRfc3339()
  since!: string;

  @ApiPropertyOptional({
    example: '2026-03-24T15:00:00Z',
    description: 'RFC 3339; events whose `timestamp` is before it (default: now); at most 7 days after `since`',
  })
  @IsOptional()
  @IsRfc3339()
  until?: string;
}

export class RecoverAcceptedDto {
  @ApiProperty({ example: '6760a1b2c3d4e5f6a7b8c9d0' }) recover_id!: string;
  @ApiProperty({ example: 42, description: 'events queued again as new deliveries' }) matched!: number;
  @ApiProperty({
    example: 1,
    description: 'events in range whose delivery is still in flight, waiting in a retry tier, or already queued by hand: not sent again',
  })
  skipped_in_flight!: number;
}

export class RecoverProgressDto {
  @ApiProperty({ example: '6760a1b2c3d4e5f6a7b8c9d0' }) recover_id!: string;
  @ApiProperty({ example: '6650a1b2c3d4e5f6a7b8c9d0' }) webhook_id!: string;
  @ApiProperty({ example: '2026-03-24T14:00:00.000Z' }) since!: string;
  @ApiProperty({ example: '2026-03-24T15:00:00.000Z' }) until!: string;
  @ApiProperty({ example: '2026-03-24T15:02:11.000Z' }) created_at!: string;
  @ApiProperty({ enum: ['running', 'done'], description: 'running while any delivery is queued or sent (for at most one hour)' }) status!: 'running' | 'done';
  @ApiProperty({ example: 42 }) matched!: number;
  @ApiProperty({ example: 1 }) skipped_in_flight!: number;
  @ApiProperty({ example: 0, description: 'not attempted yet' }) queued!: number;
  @ApiProperty({ example: 2, description: 'attempted, not delivered yet: waiting for a retry' }) sent!: number;
  @ApiProperty({ example: 39, description: 'a 2xx from your endpoint' }) delivered!: number;
  @ApiProperty({ example: 1, description: 'every attempt failed (dead-lettered)' }) failed!: number;
}
