import { Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { KafkaService } from './kafka.service.js';
import { Topics } from './topics.js';

/** The service (any role) makes sure its topics exist at boot, without holding boot up. */
@Injectable()
export class TopicsAtBoot implements OnApplicationBootstrap {
  constructor(private readonly kafka: KafkaService) {}

  onApplicationBootstrap(): void {
    void this.kafka.topicsReady();
  }
}

@Global()
@Module({ providers: [Topics, KafkaService], exports: [Topics, KafkaService] })
export class KafkaModule {}
