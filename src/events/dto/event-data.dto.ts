import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsRfc3339 } from '../../common/rfc3339.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** Link ids are slugs like "summer-sale". */
export const LINK_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/**
 * The `data` objects of Rift's published webhook payloads. Producer services publish exactly these
 * objects to the input topics; the publisher and the dispatcher validate them with the same classes.
 * Field order here is the order of the docs, and the order of the delivered JSON.
 */
abstract class EventDataBase {
  @ApiPropertyOptional({ example: '66a1b2c3d4e5f6a7b8c9d0e1', description: '24 lowercase hex; assigned by the publisher when absent' })
  @IsOptional()
  @Matches(OBJECT_ID, { message: 'event_id must be 24 lowercase hex characters' })
  event_id?: string;

  @ApiProperty({ example: '6650a1b2c3d4e5f6a7b8c9d0' })
  @IsDefined()
  @Matches(OBJECT_ID, { message: 'tenant_id must be 24 lowercase hex characters' })
  tenant_id!: string;

  @ApiProperty({ example: 'summer-sale' })
  @IsDefined()
  @IsString()
  @Matches(LINK_ID, { message: 'link_id must be 1-128 characters of letters, digits, . _ ~ -, starting with a letter or digit' })
  link_id!: string;

  @ApiProperty({
    example: '2026-03-24T15:00:00Z',
    description: 'RFC 3339 date-time; delivered and stored in UTC with Z, fractional seconds kept only when given',
  })
  @IsDefined()
  @IsRfc3339()
  timestamp!: string;
}

export class ClickEventData extends EventDataBase {
  @ApiPropertyOptional({ example: 'Mozilla/5.0 ...', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  user_agent?: string | null;

  @ApiPropertyOptional({ example: 'https://twitter.com', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  referer?: string | null;

  @ApiPropertyOptional({ example: 'ios', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  platform?: string | null;
}

export class AttributionEventData extends EventDataBase {
  @ApiProperty({ example: 'device-uuid-123' })
  @IsDefined()
  @IsString()
  @MaxLength(256)
  install_id!: string;

  @ApiPropertyOptional({ example: '1.2.0', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  app_version?: string | null;
}

export class ConversionEventData extends EventDataBase {
  @ApiPropertyOptional({ example: '66a1b2c3d4e5f6a7b8c9d0e2', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  source_id?: string | null;

  @ApiProperty({ example: 'deposit' })
  @IsDefined()
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'conversion_type must be 1-64 letters, digits, _ . : -' })
  conversion_type!: string;

  @ApiPropertyOptional({ example: 'usr_abc123', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  user_id?: string | null;

  @ApiPropertyOptional({
    example: 10000,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'with currency, for revenue-bearing conversion types only; a safe integer (at most 2^53 - 1): larger values are set aside, never rounded',
  })
  @ValidateIf((o: ConversionEventData) => o.amount_cents !== undefined || o.currency !== undefined)
  @IsDefined({ message: 'amount_cents and currency must be given together' })
  @IsInt({ message: 'amount_cents must be an integer' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER, { message: 'amount_cents must be at most 9007199254740991 (2^53 - 1)' })
  amount_cents?: number;

  @ApiPropertyOptional({ example: 'usd', description: 'ISO-4217 code in lowercase; with amount_cents' })
  @ValidateIf((o: ConversionEventData) => o.amount_cents !== undefined || o.currency !== undefined)
  @IsDefined({ message: 'amount_cents and currency must be given together' })
  @Matches(/^[a-z]{3}$/, { message: 'currency must be a 3-letter lowercase ISO-4217 code' })
  currency?: string;

  @ApiPropertyOptional({
    example: { tx_hash: '0xabc...' },
    description:
      'any JSON object, nested at most 30 levels; numbers are delivered as JSON parsing gives them (IEEE-754 doubles: integers past 2^53 lose digits, send them as strings)',
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export const DATA_CLASSES = {
  click: ClickEventData,
  attribution: AttributionEventData,
  conversion: ConversionEventData,
} as const;

/** Key order of each type's `data`, as in the docs. `event_id` shows in the data of conversions only. */
export const DATA_FIELDS = {
  click: ['tenant_id', 'link_id', 'user_agent', 'referer', 'platform', 'timestamp'],
  attribution: ['tenant_id', 'link_id', 'install_id', 'app_version', 'timestamp'],
  conversion: ['event_id', 'tenant_id', 'source_id', 'link_id', 'conversion_type', 'user_id', 'amount_cents', 'currency', 'metadata', 'timestamp'],
} as const;

export type EventData = ClickEventData | AttributionEventData | ConversionEventData;
