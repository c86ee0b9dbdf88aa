import { Injectable } from '@nestjs/common';
import { KafkaAdmin } from './kafka-admin.js';

/** Whether Kafka answers, for /health/ready and the consumer watchdog (the groups: ConsumerHealth). */
@Injectable()
export class KafkaHealth {
  constructor(private readonly admin: KafkaAdmin) {}

  async ping(): Promise<void> {
    const admin = await this.admin.get();
    await admin.describeCluster();
  }
}
