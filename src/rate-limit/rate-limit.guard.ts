import { HttpStatus, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { ApiError } from '../common/errors.js';

/** What the limit is counted by: the API key presented (a digest of it, never the key), else the client IP. */
export function trackerOf(req: Pick<Request, 'headers' | 'ip'>): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (match) return `key:${createHash('sha256').update(match[1]!).digest('hex').slice(0, 32)}`;
  return `ip:${req.ip ?? 'unknown'}`;
}

/**
 * The REST API's rate limit (@nestjs/throttler, in-memory: per process). Counted per API key across
 * every /v1 route (not per route, as the library does by default); /health, /metrics, /docs and the
 * contract documents are never limited. Headers follow the IETF draft: RateLimit-Limit,
 * RateLimit-Remaining, RateLimit-Reset (seconds), and Retry-After on a 429.
 */
export class ApiRateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    return !req.path.startsWith('/v1/');
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    return trackerOf(req as unknown as Request);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const who = detail.tracker.startsWith('key:') ? 'API key' : 'client';
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'Too Many Requests',
      `rate limit of ${detail.limit} requests per ${detail.ttl / 1000} s per ${who} exceeded; retry after ${detail.timeToBlockExpire} s`,
    );
  }
}
