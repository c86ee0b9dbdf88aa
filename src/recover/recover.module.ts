import { Module } from '@nestjs/common';
import { ManualDeliveriesModule } from '../delivery/delivery.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { WebhookLookupModule } from '../webhooks/webhooks.module.js';
import { RecoverController } from './recover.controller.js';
import { RecoverService } from './recover.service.js';

/** Recoveries, without HTTP (the CLI uses this). */
@Module({ imports: [ManualDeliveriesModule, WebhookLookupModule], providers: [RecoverService], exports: [RecoverService] })
export class RecoverCoreModule {}

/** POST /v1/webhooks/:id/recover and its progress (api role). */
@Module({ imports: [TenantsModule, RecoverCoreModule], controllers: [RecoverController] })
export class RecoverApiModule {}
