import { HttpStatus, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Response } from 'express';
import { ApiError } from '../common/errors.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

const WINDOW_MS = 60_000;

/**
 * Per client IP, requests that fail authentication: past RATE_LIMIT_AUTH_FAILURES_PER_MINUTE a failed
 * request from that IP gets a 429 instead of a 401 until the window has room again, so guessing keys,
 * or rotating made-up keys to escape the per-key limit, is bounded. Only failures count and only
 * failures are refused: a tenant with a valid key behind the same address (NAT, office) keeps working.
 * In-memory: per process.
 */
@Injectable()
export class AuthFailureLimiter implements OnApplicationShutdown {
  private readonly storage = new ThrottlerStorageService();
  private readonly limit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.rateLimit.authFailuresPerMinute;
  }

  /** Counts a failure; throws the 429 when it is one too many. */
  async failed(ip: string | undefined, res: Response): Promise<void> {
    if (this.limit === 0) return;
    const r = await this.storage.increment(this.key(ip), WINDOW_MS, this.limit, WINDOW_MS, 'auth-failures');
    if (r.isBlocked) throw this.tooMany(res, r.timeToBlockExpire);
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }

  private key(ip: string | undefined): string {
    return `auth-failures:${ip ?? 'unknown'}`;
  }

  private tooMany(res: Response, retryAfter: number): ApiError {
    res.setHeader('Retry-After', String(Math.max(1, retryAfter)));
    res.setHeader('RateLimit-Limit', String(this.limit));
    res.setHeader('RateLimit-Remaining', '0');
    res.setHeader('RateLimit-Reset', String(Math.max(1, retryAfter)));
    return new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'Too Many Requests',
      `too many requests without a valid API key from this address (${this.limit} per minute); retry after ${Math.max(1, retryAfter)} s`,
    );
  }
}
