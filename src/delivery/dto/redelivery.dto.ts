import { ApiProperty } from '@nestjs/swagger';

export class RetryQueuedDto {
  @ApiProperty({ example: '6760a1b2c3d4e5f6a7b8c9d0' }) webhook_id!: string;
  @ApiProperty({ example: '65f1a2b3c4d5e6f7a8b9c0d1' }) event_id!: string;
  @ApiProperty({ example: 'queued' }) status!: 'queued';
}
