import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
} from '@nestjs/swagger';
import { ApiError } from '../common/errors.js';
import { TenantId } from '../tenants/auth.guard.js';
import { TenantApi } from '../tenants/tenant-api.decorator.js';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  RotatedSecretDto,
  RotateSecretDto,
  RotationCompletedDto,
  UpdateWebhookDto,
  WebhookDto,
} from './dto/webhook.dto.js';
import { ErrorDto } from '../common/error.dto.js';
import { SecretRotationService } from './secret-rotation.service.js';
import { WebhooksService } from './webhooks.service.js';

@TenantApi('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly rotation: SecretRotationService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a webhook', description: 'Save the secret immediately: it is only returned once, at creation time.' })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'the body names the offending field' })
  @ApiConflictResponse({ type: ErrorDto, description: 'the tenant already has 2 webhooks' })
  create(@TenantId() tenantId: string, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(tenantId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List your webhooks (newest first, without secrets), with status and endpoint health' })
  @ApiQuery({ name: 'status', required: false, enum: ['disabled'], description: '`disabled`: only disabled webhooks' })
  @ApiOkResponse({ type: WebhookDto, isArray: true })
  @ApiBadRequestResponse({ type: ErrorDto })
  list(@TenantId() tenantId: string, @Query('status') status?: string): Promise<WebhookDto[]> {
    return this.webhooks.list(tenantId, { disabledOnly: parseStatusFilter(status) });
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a webhook's url or events, or enable / disable it (beyond the published docs)" })
  @ApiOkResponse({ type: WebhookDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  update(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(tenantId, id, dto);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: "Replace a webhook's secret, with an overlap (beyond the published docs)",
    description:
      'The new secret is returned only here. For overlap_seconds (default 86400; 0 switches at once) X-Rift-Signature keeps the old secret, X-Rift-Signature-Next and a second webhook-signature entry carry the new one; then the new one takes over.',
  })
  @ApiOkResponse({ type: RotatedSecretDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'a rotation is already in progress' })
  rotateSecret(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: RotateSecretDto): Promise<RotatedSecretDto> {
    return this.rotation.rotate(tenantId, id, dto.overlap_seconds);
  }

  @Post(':id/rotate-secret/complete')
  @HttpCode(200)
  @ApiOperation({ summary: "End a rotation's overlap now: the new secret signs X-Rift-Signature, the old one nothing" })
  @ApiOkResponse({ type: RotationCompletedDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'no rotation in progress' })
  completeRotation(@TenantId() tenantId: string, @Param('id') id: string): Promise<RotationCompletedDto> {
    return this.rotation.complete(tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook; no new delivery attempt to it starts after a few seconds' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto, description: "unknown id, or another tenant's" })
  remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    return this.webhooks.remove(tenantId, id);
  }
}

function parseStatusFilter(status: string | undefined): boolean {
  if (status === undefined) return false;
  if (status === 'disabled') return true;
  throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', ['status: status must be disabled (or absent)']);
}
