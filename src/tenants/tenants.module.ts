import { Module } from '@nestjs/common';
import { ApiKeyGuard } from './auth.guard.js';
import { TenantsService } from './tenants.service.js';

@Module({ providers: [TenantsService, ApiKeyGuard], exports: [TenantsService, ApiKeyGuard] })
export class TenantsModule {}
