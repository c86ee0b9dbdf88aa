import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOperation } from '@nestjs/swagger';
import { ErrorDto } from '../common/error.dto.js';
import { TenantId } from '../tenants/auth.guard.js';
import { TenantApi } from '../tenants/tenant-api.decorator.js';
import { RetryQueuedDto } from './dto/redelivery.dto.js';
import { RedeliveryService } from './redelivery.service.js';

/** POST /v1/webhooks/{id}/deliveries/{event_id}/retry: deliver a stored event again. */
@TenantApi('deliveries')
@ApiNotFoundResponse({ type: ErrorDto, description: "unknown webhook (or another tenant's), or unknown event" })
@Controller('v1/webhooks/:id/deliveries')
export class RedeliveryController {
  constructor(private readonly deliveries: RedeliveryService) {}

  @Post(':event_id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver a stored event to this webhook again (a new delivery with the full retry schedule)' })
  @ApiAcceptedResponse({ type: RetryQueuedDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'the webhook is disabled (the reason is named); re-enable it first' })
  retry(@TenantId() tenantId: string, @Param('id') id: string, @Param('event_id') eventId: string): Promise<RetryQueuedDto> {
    return this.deliveries.retry(tenantId, id, eventId);
  }
}
