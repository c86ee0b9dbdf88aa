import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { EVENT_TYPES, type EventType } from '../../contracts/event-types.js';

const URL_RULES = { protocols: ['https'], require_protocol: true, require_tld: false, disallow_auth: true, require_host: true, allow_underscores: true };
const URL_MESSAGE = 'url must be an absolute https:// URL without user:password';
const EVENTS_MESSAGE = `each value in events must be one of: ${EVENT_TYPES.join(', ')}`;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://yourserver.com/rift-webhook', maxLength: 2048 })
  @IsString({ message: 'url must be a string' })
  @MaxLength(2048, { message: 'url must be at most 2048 characters' })
  @IsUrl(URL_RULES, { message: URL_MESSAGE })
  url!: string;

  @ApiProperty({ example: ['click', 'attribution', 'conversion'], enum: EVENT_TYPES, isArray: true })
  @IsArray({ message: 'events must be an array' })
  @ArrayMinSize(1, { message: 'events must not be empty' })
  @ArrayUnique({ message: 'events must not contain duplicates' })
  @IsIn(EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  events!: EventType[];
}

/** PATCH: change the url, the events, or both; the same rules as creation. */
export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://yourserver.com/rift-webhook-v2', maxLength: 2048 })
  @IsOptional()
  @IsString({ message: 'url must be a string' })
  @MaxLength(2048, { message: 'url must be at most 2048 characters' })
  @IsUrl(URL_RULES, { message: URL_MESSAGE })
  url?: string;

  @ApiPropertyOptional({ example: ['conversion'], enum: EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray({ message: 'events must be an array' })
  @ArrayMinSize(1, { message: 'events must not be empty' })
  @ArrayUnique({ message: 'events must not contain duplicates' })
  @IsIn(EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  events?: EventType[];

  @ApiPropertyOptional({ example: true, description: '`true` re-enables a disabled webhook (its health starts over); `false` disables it (reason `manual`)' })
  @ValidateIf((o: UpdateWebhookDto) => o.enabled !== undefined) // null is refused, not ignored
  @IsBoolean({ message: 'enabled must be a boolean' })
  enabled?: boolean;
}

/** Endpoint health, kept from the delivery attempts (test sends excluded). */
export class WebhookHealthDto {
  @ApiProperty({ example: 0, description: 'failed attempts since the last success' })
  consecutive_failures!: number;

  @ApiProperty({ example: '2026-03-24T12:00:00Z', format: 'date-time', nullable: true, type: String })
  last_success_at!: string | null;

  @ApiProperty({ example: null, format: 'date-time', nullable: true, type: String })
  last_failure_at!: string | null;
}

export class WebhookDto {
  @ApiProperty({ example: '6650a1b2c3d4e5f6a7b8c9d0', pattern: '^[0-9a-f]{24}$' })
  id!: string;

  @ApiProperty({ example: 'https://yourserver.com/rift-webhook' })
  url!: string;

  @ApiProperty({ example: ['click', 'attribution', 'conversion'], enum: EVENT_TYPES, isArray: true })
  events!: EventType[];

  @ApiProperty({ example: '2026-03-24T12:00:00Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ enum: ['active', 'disabled'], example: 'active', description: 'a disabled webhook gets no deliveries; PATCH {"enabled": true} re-enables it' })
  status!: 'active' | 'disabled';

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: '`gone` (the endpoint answered 410), `failing` (nothing but failures for WEBHOOK_DISABLE_AFTER_HOURS) or `manual`',
  })
  disabled_reason!: string | null;

  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' })
  disabled_at!: string | null;

  @ApiProperty({ type: WebhookHealthDto })
  health!: WebhookHealthDto;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'while a secret rotation overlaps: when the new secret takes over X-Rift-Signature',
  })
  rotation_ends_at!: string | null;
}

/** The docs' create response, in the docs' key order, then what is beyond the docs. */
export class CreatedWebhookDto {
  @ApiProperty({ example: '6650a1b2c3d4e5f6a7b8c9d0', pattern: '^[0-9a-f]{24}$' })
  id!: string;

  @ApiProperty({ example: 'https://yourserver.com/rift-webhook' })
  url!: string;

  @ApiProperty({ example: ['click', 'attribution', 'conversion'], enum: EVENT_TYPES, isArray: true })
  events!: EventType[];

  @ApiProperty({
    example: 'a1b2c3d4...64-char-hex-string',
    description: 'Only returned here, at creation time. Save it to verify X-Rift-Signature.',
    pattern: '^[0-9a-f]{64}$',
  })
  secret!: string;

  @ApiProperty({ example: '2026-03-24T12:00:00Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({
    example: 'whsec_YTFiMmMzZDQ...',
    description:
      'The same secret in Standard Webhooks form (`whsec_` + base64 of its UTF-8 bytes), for `new Webhook(secret).verify(body, headers)` of the `standardwebhooks` or `svix` libraries',
  })
  standard_webhooks_secret!: string;

  @ApiProperty({ enum: ['active', 'disabled'], example: 'active' })
  status!: 'active';
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    example: 86400,
    minimum: 0,
    maximum: 2592000,
    default: 86400,
    description: 'seconds during which both secrets sign; 0 switches at once',
  })
  @ValidateIf((o: RotateSecretDto) => o.overlap_seconds !== undefined) // null must not mean "switch at once"
  @IsInt({ message: 'overlap_seconds must be an integer' })
  @Min(0, { message: 'overlap_seconds must be at least 0' })
  @Max(2_592_000, { message: 'overlap_seconds must be at most 2592000 (30 days)' })
  overlap_seconds?: number;
}

export class RotatedSecretDto {
  @ApiProperty({ example: '6650a1b2c3d4e5f6a7b8c9d0' })
  id!: string;

  @ApiProperty({
    example: 'a1b2c3d4...64-char-hex-string',
    description: 'The new secret, returned only here. During the overlap X-Rift-Signature keeps the old one and X-Rift-Signature-Next carries this one.',
  })
  secret!: string;

  @ApiProperty({ example: 'whsec_YTFiMmMzZDQ...', description: 'the new secret in Standard Webhooks form' })
  standard_webhooks_secret!: string;

  @ApiProperty({
    example: '2026-03-25T12:00:00Z',
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'when the new secret takes over X-Rift-Signature (null: it already has)',
  })
  rotation_ends_at!: string | null;
}

export class RotationCompletedDto {
  @ApiProperty({ example: '6650a1b2c3d4e5f6a7b8c9d0' })
  id!: string;

  @ApiProperty({ example: 'completed', enum: ['completed'] })
  rotation!: 'completed';
}
