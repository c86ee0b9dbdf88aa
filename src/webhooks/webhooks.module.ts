import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { SecretRotationService } from './secret-rotation.service.js';
import { WebhookDirectory } from './webhook-directory.js';
import { WebhookLookup } from './webhook-lookup.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** A tenant's webhook by id, for every feature that acts on one (redelivery, recovery, deliveries). */
@Module({ providers: [WebhookLookup], exports: [WebhookLookup] })
export class WebhookLookupModule {}

/** The REST API for webhooks (api role). */
@Module({
  imports: [TenantsModule, WebhookLookupModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, SecretRotationService],
})
export class WebhooksModule {}

/** The dispatcher's read side: tenants' webhooks with their signing keys. */
@Module({ providers: [WebhookDirectory], exports: [WebhookDirectory] })
export class WebhookDirectoryModule {}
