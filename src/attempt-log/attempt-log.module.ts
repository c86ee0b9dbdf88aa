import { Module } from '@nestjs/common';
import { EndpointHealth } from '../endpoint-health/endpoint-health.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { WebhookLookupModule } from '../webhooks/webhooks.module.js';
import { AttemptLogConsumer } from './attempt-log.consumer.js';
import { AttemptLogWriter } from './attempt-log-writer.js';
import { AttemptLogStore } from './attempt-log.store.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesService } from './deliveries.service.js';

/** GET /v1/webhooks/:id/deliveries and /dead-letters (api role). */
@Module({
  imports: [TenantsModule, WebhookLookupModule],
  controllers: [DeliveriesController, DeadLettersController],
  providers: [AttemptLogStore, DeliveriesService],
})
export class DeliveriesApiModule {}

/** The attempt-log consumer group and its retention (worker roles). */
@Module({ providers: [AttemptLogStore, AttemptLogConsumer, EndpointHealth] })
export class AttemptLogModule {}

/** The dispatcher's in-process attempt log writer (the Deliverer's), with the attempts topic as its spill. */
@Module({ providers: [AttemptLogStore, EndpointHealth, AttemptLogWriter], exports: [AttemptLogWriter] })
export class AttemptLogWriterModule {}
