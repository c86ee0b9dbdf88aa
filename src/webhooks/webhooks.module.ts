import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { WebhookDirectory } from './webhook-directory.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';
import { SecretRotationService } from './secret-rotation.service.js';
import { TestSendService } from './test-send.service.js';
import { HttpSender } from '../delivery/http-sender.js';

/** The REST API for webhooks (api role). */
@Module({
  imports: [TenantsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, SecretRotationService, TestSendService, HttpSender],
})
export class WebhooksModule {}

/** The dispatcher's read side: tenants' webhooks with their signing keys. */
@Module({ providers: [WebhookDirectory], exports: [WebhookDirectory] })
export class WebhookDirectoryModule {}
