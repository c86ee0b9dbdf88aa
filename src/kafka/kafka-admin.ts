import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import kafkajs, { type Admin } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

const { Kafka, logLevel } = kafkajs;

/**
 * The admin connection (topics, offsets, lag, health), made on first use and kept. Its own client
 * fails fast and quietly: its callers (boot wait, health probe, lag refresh) loop or time out and
 * say what they wait for themselves.
 */
@Injectable()
export class KafkaAdmin implements OnApplicationShutdown {
  private readonly probeKafka: InstanceType<typeof Kafka>;
  private admin?: Admin;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.probeKafka = new Kafka({
      clientId: `${config.kafka.clientId}-admin`,
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 200, retries: 1 },
    });
  }

  async get(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.probeKafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /** Drops the connection after a failure, so that the next `get` connects afresh. */
  async reset(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}
