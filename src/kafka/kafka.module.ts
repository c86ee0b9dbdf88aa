import { Global, Module } from '@nestjs/common';
import { KafkaService } from './kafka.service.js';
import { Topics } from './topics.js';

@Global()
@Module({ providers: [Topics, KafkaService], exports: [Topics, KafkaService] })
export class KafkaModule {}
