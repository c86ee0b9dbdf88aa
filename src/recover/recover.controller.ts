import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TenantId } from '../tenants/auth.guard.js';
import { TenantApi } from '../tenants/tenant-api.decorator.js';
import { ErrorDto } from '../common/error.dto.js';
import { RecoverAcceptedDto, RecoverProgressDto, RecoverRequestDto } from './recover.dto.js';
import { RecoverService } from './recover.service.js';

@TenantApi('deliveries')
@ApiNotFoundResponse({ type: ErrorDto, description: "unknown webhook (or another tenant's), or unknown recovery" })
@Controller('v1/webhooks/:id/recover')
export class RecoverController {
  constructor(private readonly recover: RecoverService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again every event of a time range that this webhook has not received (new deliveries, whole retry schedule)' })
  @ApiAcceptedResponse({ type: RecoverAcceptedDto })
  @ApiBadRequestResponse({
    type: ErrorDto,
    description: "a date that is not RFC 3339, since not before until, over 7 days, older than the attempt log's retention",
  })
  @ApiConflictResponse({ type: ErrorDto, description: 'a recovery of this webhook is still running (named), or the webhook is disabled (the reason is named)' })
  start(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: RecoverRequestDto): Promise<RecoverAcceptedDto> {
    return this.recover.start(tenantId, id, body.since, body.until);
  }

  @Get(':recover_id')
  @ApiOperation({ summary: 'Progress of a recovery: queued, sent (waiting for a retry), delivered, failed' })
  @ApiOkResponse({ type: RecoverProgressDto })
  progress(@TenantId() tenantId: string, @Param('id') id: string, @Param('recover_id') recoverId: string): Promise<RecoverProgressDto> {
    return this.recover.progress(tenantId, id, recoverId);
  }
}
