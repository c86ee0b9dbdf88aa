import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorDto } from '../common/error.dto.js';
import { TenantId } from '../tenants/auth.guard.js';
import { TenantApi } from '../tenants/tenant-api.decorator.js';
import { TestSendDto, TestSendResultDto } from './dto/test-send.dto.js';
import { TestSendRateLimited, TestSendService } from './test-send.service.js';

/** POST /v1/webhooks/{id}/test: one signed example delivery, answered with its outcome. */
@TenantApi('webhooks')
@Controller('v1/webhooks')
export class TestSendController {
  constructor(private readonly tests: TestSendService) {}

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a signed example event now and see the outcome (beyond the published docs)',
    description:
      'The webhook\'s real headers plus X-Rift-Test: true. One attempt: not retried, not stored as an event, not counted towards endpoint health; in the attempt log with tier "test". At most WEBHOOK_TEST_SENDS_PER_MINUTE (10) per webhook per minute.',
  })
  @ApiOkResponse({ type: TestSendResultDto, description: 'the attempt was made (whatever the endpoint answered)' })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'the webhook is disabled (the reason is named)' })
  @ApiTooManyRequestsResponse({ type: ErrorDto, description: 'rate limited; Retry-After says when' })
  async test(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Body() dto: TestSendDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TestSendResultDto> {
    try {
      return await this.tests.send(tenantId, id, dto.event);
    } catch (err) {
      if (err instanceof TestSendRateLimited) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
  }
}
