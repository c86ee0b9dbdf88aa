import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { EVENT_TYPES, type EventType } from '../../contracts/event-types.js';
import { FAILURE_CLASS_LIST } from '../../contracts/failure.js';

export class TestSendDto {
  @ApiProperty({ enum: EVENT_TYPES, example: 'click', description: 'the type of the example event to send' })
  @IsIn(EVENT_TYPES, { message: `event must be one of: ${EVENT_TYPES.join(', ')}` })
  event!: EventType;
}

/** The outcome of the one attempt a test send makes (it is not retried, nor stored as an event). */
export class TestSendResultDto {
  @ApiProperty({
    example: '6650a1b2c3d4e5f6a7b8c9d0',
    description: 'the example event\'s id (X-Rift-Event-Id, webhook-id); also in the attempt log, tier "test"',
  })
  event_id!: string;

  @ApiProperty({ enum: EVENT_TYPES, example: 'click' })
  event!: EventType;

  @ApiProperty({ example: true, description: 'the endpoint answered 2xx' })
  succeeded!: boolean;

  @ApiProperty({ example: 200, nullable: true, type: Number, description: 'null when no response came (timeout, connection or TLS error)' })
  status_code!: number | null;

  @ApiProperty({ example: 42 })
  duration_ms!: number;

  @ApiProperty({ example: null, nullable: true, type: String, description: `the failure class, one of: ${FAILURE_CLASS_LIST}` })
  error!: string | null;

  @ApiProperty({ example: '{"ok":true}', nullable: true, type: String, description: 'the first 1 KB of the response body (UTF-8, lossy)' })
  response_body!: string | null;
}
