import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TenantId } from '../tenants/auth.guard.js';
import { TenantApi } from '../tenants/tenant-api.decorator.js';
import { ErrorDto } from '../common/error.dto.js';
import { DeliveriesPageDto, DeliveriesQueryDto } from './deliveries.dto.js';
import { DeliveriesService } from './deliveries.service.js';

@TenantApi('deliveries')
@ApiNotFoundResponse({ type: ErrorDto, description: "unknown webhook (or another tenant's)" })
@Controller('v1/webhooks/:id/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({ summary: 'The delivery attempts of a webhook, newest first: status code or error, duration, what happened next' })
  @ApiOkResponse({ type: DeliveriesPageDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'names the offending parameter' })
  list(@TenantId() tenantId: string, @Param('id') id: string, @Query() q: DeliveriesQueryDto): Promise<DeliveriesPageDto> {
    return this.deliveries.list(tenantId, id, q);
  }
}
