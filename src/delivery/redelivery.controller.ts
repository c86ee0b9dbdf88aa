import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorDto } from '../common/error.dto.js';
import { ApiKeyGuard, TenantId } from '../tenants/auth.guard.js';
import { RetryQueuedDto } from './dto/redelivery.dto.js';
import { RedeliveryService } from './redelivery.service.js';

/** POST /v1/webhooks/{id}/deliveries/{event_id}/retry: deliver a stored event again. */
@ApiTags('deliveries')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@ApiNotFoundResponse({ type: ErrorDto, description: 'unknown webhook (or another tenant\'s), or unknown event' })
@UseGuards(ApiKeyGuard)
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
