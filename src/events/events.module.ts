import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { EventPublisher } from './event-publisher.js';
import { EventStore } from './event-store.js';
import { EventStoreConsumer } from './event-store.consumer.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

/** The publisher (every role and the CLI). */
@Module({ providers: [EventPublisher], exports: [EventPublisher] })
export class EventsModule {}

/** Stats and event pages (api role). */
@Module({ imports: [TenantsModule], controllers: [EventsController], providers: [EventStore, EventsService] })
export class EventsApiModule {}

/** The event-store consumer group (worker roles). */
@Module({ providers: [EventStore, EventStoreConsumer] })
export class EventStoreModule {}
