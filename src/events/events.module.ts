import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { EventPublisher } from './event-publisher.js';
import { EventStore } from './event-store.js';
import { EventStoreConsumer } from './event-store.consumer.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { LinksController } from './links.controller.js';
import { LinksService } from './links.service.js';
import { LinksStore } from './links.store.js';

/** The publisher (every role and the CLI). */
@Module({ providers: [EventPublisher], exports: [EventPublisher] })
export class EventsModule {}

/** The stored events, for reads by other features (redelivery). */
@Module({ providers: [EventStore], exports: [EventStore] })
export class StoredEventsModule {}

/** Stats, event pages, links and series (api role). */
@Module({
  imports: [TenantsModule, StoredEventsModule],
  controllers: [EventsController, LinksController],
  providers: [EventsService, LinksStore, LinksService],
})
export class EventsApiModule {}

/** The event-store consumer group (worker roles). */
@Module({ imports: [StoredEventsModule], providers: [EventStoreConsumer] })
export class EventStoreModule {}
