import { Module } from '@nestjs/common';
import { AttemptLogWriterModule } from '../attempt-log/attempt-log.module.js';
import { StoredEventsModule } from '../events/events.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { WebhookDirectoryModule, WebhookLookupModule } from '../webhooks/webhooks.module.js';
import { Deliverer } from './deliverer.js';
import { DispatcherService } from './dispatcher.service.js';
import { HttpSender } from './http-sender.js';
import { InputHandler } from './input-handler.js';
import { InvalidEvents } from './invalid-events.js';
import { ManualDeliveries } from './manual-deliveries.js';
import { RedeliveryController } from './redelivery.controller.js';
import { RedeliveryService } from './redelivery.service.js';
import { RetryHandler } from './retry-handler.js';
import { TestSendController } from './test-send.controller.js';
import { TestSendService } from './test-send.service.js';

/** The dispatcher's consumer groups: match, sign, send, retry tiers, dead letters (worker roles). */
@Module({
  imports: [WebhookDirectoryModule, AttemptLogWriterModule],
  providers: [HttpSender, Deliverer, InvalidEvents, InputHandler, RetryHandler, DispatcherService],
})
export class DeliveryModule {}

/** Deliveries queued by hand (redelivery, recoveries), recorded so a duplicate request is refused. */
@Module({ providers: [ManualDeliveries], exports: [ManualDeliveries] })
export class ManualDeliveriesModule {}

/** The delivery routes of the API: redeliver a stored event, send a test event (api role). */
@Module({
  imports: [TenantsModule, WebhookLookupModule, StoredEventsModule, ManualDeliveriesModule],
  controllers: [RedeliveryController, TestSendController],
  providers: [RedeliveryService, TestSendService, HttpSender],
})
export class DeliveryApiModule {}
