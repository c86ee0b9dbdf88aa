import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { ManualDeliveries } from './manual-deliveries.js';
import { RecoverController } from './recover.controller.js';
import { RecoverService } from './recover.service.js';

/** Manual deliveries and recoveries, without HTTP (the CLI uses this). */
@Module({ providers: [ManualDeliveries, RecoverService], exports: [ManualDeliveries, RecoverService] })
export class RecoverCoreModule {}

/** POST /v1/webhooks/:id/recover and its progress (api role). */
@Module({ imports: [TenantsModule, RecoverCoreModule], controllers: [RecoverController] })
export class RecoverApiModule {}
