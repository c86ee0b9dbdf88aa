import { Injectable } from '@nestjs/common';
import { KafkaAdmin } from './kafka-admin.js';

/** Whether Kafka answers, for /health/ready and the consumer watchdog (the groups: ConsumerHealth). */
@Injectable()
export class KafkaHealth {
  constructor(private readonly admin: KafkaAdmin) {}

  /**
   * A failed ping drops the admin connection, so the next one connects afresh. kafkajs keeps asking
   * its seed broker for metadata and does not move to another broker when that one dies: with the
   * first broker of KAFKA_BROKERS killed, a kept admin failed every probe, and /health/ready said 503
   * for as long as the node was down while the pipeline itself worked on (cluster suite). Connecting
   * again tries the listed brokers in turn.
   */
  async ping(): Promise<void> {
    try {
      const admin = await this.admin.get();
      await admin.describeCluster();
    } catch (err) {
      await this.admin.reset();
      throw err;
    }
  }
}
