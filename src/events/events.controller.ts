import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TenantId } from '../tenants/auth.guard.js';
import { TenantApi } from '../tenants/tenant-api.decorator.js';
import { ErrorDto } from '../common/error.dto.js';
import { EventsPageDto, EventsQueryDto, LinkStatsDto, StatsQueryDto } from './dto/events-query.dto.js';
import { EventsService } from './events.service.js';

@TenantApi('events')
@ApiBadRequestResponse({ type: ErrorDto, description: 'names the offending parameter' })
@Controller('v1')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get('links/:link_id/stats')
  @ApiOperation({ summary: "A link's counts from the event store (the durable source of truth); zeros for a link with no events" })
  @ApiOkResponse({ type: LinkStatsDto })
  stats(@TenantId() tenantId: string, @Param('link_id') linkId: string, @Query() q: StatsQueryDto): Promise<LinkStatsDto> {
    return this.events.stats(tenantId, linkId, q);
  }

  @Get('events')
  @ApiOperation({ summary: 'Page through your stored events, each exactly once, with an opaque cursor' })
  @ApiOkResponse({ type: EventsPageDto })
  list(@TenantId() tenantId: string, @Query() q: EventsQueryDto): Promise<EventsPageDto> {
    return this.events.page(tenantId, q);
  }
}
