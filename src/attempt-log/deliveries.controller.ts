import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiKeyGuard, TenantId } from '../tenants/auth.guard.js';
import { ErrorDto } from '../webhooks/dto/webhook.dto.js';
import { DeliveriesPageDto, DeliveriesQueryDto, RetryQueuedDto } from './deliveries.dto.js';
import { DeliveriesService } from './deliveries.service.js';

@ApiTags('deliveries')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@ApiNotFoundResponse({ type: ErrorDto, description: 'unknown webhook (or another tenant\'s), or unknown event' })
@UseGuards(ApiKeyGuard)
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

  @Post(':event_id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver a stored event to this webhook again (a new delivery with the full retry schedule)' })
  @ApiAcceptedResponse({ type: RetryQueuedDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'the webhook is disabled (the reason is named); re-enable it first' })
  retry(@TenantId() tenantId: string, @Param('id') id: string, @Param('event_id') eventId: string): Promise<RetryQueuedDto> {
    return this.deliveries.retry(tenantId, id, eventId);
  }
}
