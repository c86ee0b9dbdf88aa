import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { TenantId } from '../tenants/auth.guard.js';
import { TenantApi } from '../tenants/tenant-api.decorator.js';
import { ErrorDto } from '../common/error.dto.js';
import { StoredEventDto } from './dto/events-query.dto.js';
import { LinkSeriesDto, LinksDto, LinksQueryDto, SeriesQueryDto } from './dto/links.dto.js';
import { LinksService } from './links.service.js';

class StoredEventDetailDto extends StoredEventDto {
  @ApiProperty({ example: '2026-03-24T15:00:00.120Z', description: 'when the event store stored it' }) stored_at!: string;
}

@TenantApi('events')
@ApiBadRequestResponse({ type: ErrorDto, description: 'names the offending parameter' })
@Controller('v1')
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Get('links')
  @ApiOperation({ summary: 'Your links with stored events and their totals, most recently active first' })
  @ApiOkResponse({ type: LinksDto })
  list(@TenantId() tenantId: string, @Query() q: LinksQueryDto): Promise<LinksDto> {
    return this.links.links(tenantId, q.limit);
  }

  @Get('links/:link_id/series')
  @ApiOperation({ summary: "A link's clicks, attributions, conversions and revenue per UTC hour or day (zeros included)" })
  @ApiOkResponse({ type: LinkSeriesDto })
  series(@TenantId() tenantId: string, @Param('link_id') linkId: string, @Query() q: SeriesQueryDto): Promise<LinkSeriesDto> {
    return this.links.series(tenantId, linkId, q);
  }

  @Get('events/:event_id')
  @ApiOperation({ summary: "One stored event: its type and data as stored (the webhook payload's data)" })
  @ApiOkResponse({ type: StoredEventDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: "unknown event, or another tenant's" })
  event(@TenantId() tenantId: string, @Param('event_id') eventId: string): Promise<StoredEventDetailDto> {
    return this.links.event(tenantId, eventId);
  }
}
