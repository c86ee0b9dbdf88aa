import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TenantId } from '../tenants/auth.guard.js';
import { TenantApi } from '../tenants/tenant-api.decorator.js';
import { ErrorDto } from '../common/error.dto.js';
import { DeadLettersPageDto, DeadLettersQueryDto } from './deliveries.dto.js';
import { DeliveriesService } from './deliveries.service.js';

/**
 * A tenant's dead letters, read from the attempt log (the attempts whose `next` was the DLQ): the
 * dead-letter topic itself holds every tenant's entries and is read whole only by operators
 * (`rift dlq list`). Retry one with POST .../deliveries/{event_id}/retry, or a time range with .../recover.
 */
@TenantApi('deliveries')
@ApiNotFoundResponse({ type: ErrorDto, description: "unknown webhook, or another tenant's" })
@Controller('v1/webhooks/:id/dead-letters')
export class DeadLettersController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries of this webhook that used up every retry (dead letters), newest first, and whether each was delivered later' })
  @ApiOkResponse({ type: DeadLettersPageDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'names the offending parameter' })
  list(@TenantId() tenantId: string, @Param('id') id: string, @Query() q: DeadLettersQueryDto): Promise<DeadLettersPageDto> {
    return this.deliveries.deadLetters(tenantId, id, q);
  }
}
