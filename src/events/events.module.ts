import { Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher.js';

@Module({ providers: [EventPublisher], exports: [EventPublisher] })
export class EventsModule {}
