import { CanActivate, createParamDecorator, ExecutionContext, HttpStatus, Injectable, Optional } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthFailureLimiter } from '../rate-limit/auth-failure-limiter.js';
import { ApiError } from '../common/errors.js';
import { TenantsService } from './tenants.service.js';

interface AuthedRequest extends Request {
  tenantId?: string;
}

/**
 * `Authorization: Bearer rl_live_...`. Missing, malformed, unknown and revoked keys all get the same
 * 401, so a caller cannot tell which it was.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly tenants: TenantsService,
    @Optional() private readonly failures?: AuthFailureLimiter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const tenantId = match ? await this.tenants.authenticate(match[1]!) : null;
    if (!tenantId) {
      await this.failures?.failed(req.ip, res);
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'Unauthorized', 'a valid API key is required: Authorization: Bearer rl_live_...');
    }
    req.tenantId = tenantId;
    return true;
  }
}

/** The authenticated tenant's id (use behind ApiKeyGuard). */
export const TenantId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().tenantId!;
});
