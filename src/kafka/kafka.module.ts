import { Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConsumerFactory } from './consumer-factory.js';
import { ConsumerHealth } from './consumer-health.js';
import { ConsumerRunner } from './consumer-runner.js';
import { DurableSender } from './durable-sender.js';
import { KafkaAdmin } from './kafka-admin.js';
import { KafkaClient } from './kafka-client.js';
import { KafkaHealth } from './kafka-health.js';
import { KafkaReady } from './kafka-ready.js';
import { KafkaProducer } from './producer.js';
import { TopicProvisioner } from './topic-provisioning.js';
import { Topics } from './topics.js';

/** The service (any role) makes sure its topics exist at boot, without holding boot up. */
@Injectable()
export class TopicsAtBoot implements OnApplicationBootstrap {
  constructor(private readonly ready: KafkaReady) {}

  onApplicationBootstrap(): void {
    void this.ready.topicsReady();
  }
}

/**
 * Kafka, one job per provider: the client, the admin connection, the batching producer, the durable
 * send on top of it, consumers (factory, health registry, runner), topic provisioning, the boot
 * wait and the health probe.
 */
const providers = [
  Topics,
  KafkaClient,
  KafkaAdmin,
  KafkaProducer,
  DurableSender,
  ConsumerFactory,
  ConsumerHealth,
  ConsumerRunner,
  TopicProvisioner,
  KafkaReady,
  KafkaHealth,
];

@Global()
@Module({ providers, exports: providers })
export class KafkaModule {}
