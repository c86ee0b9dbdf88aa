import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiKeyGuard, TenantId } from '../tenants/auth.guard.js';
import { CreatedWebhookDto, CreateWebhookDto, ErrorDto, RotatedSecretDto, UpdateWebhookDto, WebhookDto } from './dto/webhook.dto.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto, description: 'missing, malformed, unknown or revoked API key' })
@UseGuards(ApiKeyGuard)
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Register a webhook', description: 'Save the secret immediately: it is only returned once, at creation time.' })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'the body names the offending field' })
  @ApiConflictResponse({ type: ErrorDto, description: 'the tenant already has 2 webhooks' })
  create(@TenantId() tenantId: string, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(tenantId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List your webhooks (newest first, without secrets)' })
  @ApiOkResponse({ type: WebhookDto, isArray: true })
  list(@TenantId() tenantId: string): Promise<WebhookDto[]> {
    return this.webhooks.list(tenantId);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook\'s url or events (beyond the published docs)' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  update(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(tenantId, id, dto);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace a webhook\'s secret; the new one is returned only here (beyond the published docs)' })
  @ApiOkResponse({ type: RotatedSecretDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  rotateSecret(@TenantId() tenantId: string, @Param('id') id: string): Promise<RotatedSecretDto> {
    return this.webhooks.rotateSecret(tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook; no new delivery attempt to it starts after a few seconds' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto, description: 'unknown id, or another tenant\'s' })
  remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    return this.webhooks.remove(tenantId, id);
  }
}
