import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { ApiRateLimitGuard } from './rate-limit.guard.js';

/** RATE_LIMIT_PER_MINUTE per API key on /v1 (0: off), and the auth-failure limit per client IP. */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimit.perMinute }],
        skipIf: () => config.rateLimit.perMinute === 0,
      }),
    }),
  ],
  providers: [AuthFailureLimiter, { provide: APP_GUARD, useClass: ApiRateLimitGuard }],
  exports: [AuthFailureLimiter],
})
export class RateLimitModule {}
