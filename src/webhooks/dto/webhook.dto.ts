import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { EVENT_TYPES, type EventType } from '../../kafka/topics.js';

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
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ example: 'a1b2c3d4...64-char-hex-string', description: 'Only returned here, at creation time. Save it to verify X-Rift-Signature.', pattern: '^[0-9a-f]{64}$' })
  secret!: string;
}

export class RotatedSecretDto {
  @ApiProperty({ example: '6650a1b2c3d4e5f6a7b8c9d0' })
  id!: string;

  @ApiProperty({ example: 'a1b2c3d4...64-char-hex-string', description: 'The new secret, returned only here. The old one stops signing at once.' })
  secret!: string;
}

export class ErrorDto {
  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: ['url: url must be an absolute https:// URL without user:password'] })
  message!: string | string[];

  @ApiPropertyOptional({ example: '0b9c1f0e-4a55-4d1e-9d55-1b1f3d2b7a10', description: 'on 500s: quote it to support; the same id is in the server log' })
  error_id?: string;
}
