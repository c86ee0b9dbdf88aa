import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorDto } from '../common/error.dto.js';
import { ApiKeyGuard } from './auth.guard.js';

/**
 * A controller of the tenant API: every route needs a tenant's API key (401 otherwise), and the
 * OpenAPI document says so under `tag`.
 */
export function TenantApi(tag: string): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorDto, description: 'missing, malformed, unknown or revoked API key' }),
    UseGuards(ApiKeyGuard),
  );
}
