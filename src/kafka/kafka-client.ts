import { Inject, Injectable, Logger } from '@nestjs/common';
import kafkajs from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

const { Kafka, logLevel } = kafkajs;

/**
 * The process's kafkajs client, from which the producer and every consumer are made; kafkajs' own
 * log lines go to Nest's logger (warnings and errors only).
 *
 * Why kafkajs directly and not @nestjs/microservices' Kafka transport: the transport hands one
 * message at a time to an @EventPattern handler and commits after it returns. The dispatcher needs
 * what it cannot express: many deliveries in flight per partition, offsets committed only up to the
 * lowest unfinished message, and pause/resume of single partitions for retry tiers. The transport is
 * still what the benchmark's baseline uses (a plain @EventPattern handler).
 */
@Injectable()
export class KafkaClient {
  private readonly logger = new Logger('Kafka');
  readonly kafka: InstanceType<typeof Kafka>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.kafka = new Kafka({
      clientId: config.kafka.clientId,
      brokers: config.kafka.brokers,
      logLevel: logLevel.WARN,
      retry: { initialRetryTime: 250, retries: 8, maxRetryTime: 5_000 },
      logCreator:
        () =>
        ({ namespace, level, log }) => {
          const { message, ...rest } = log;
          const line = `${namespace}: ${message} ${JSON.stringify(rest)}`;
          if (level <= logLevel.ERROR) this.logger.error(line);
          else this.logger.warn(line);
        },
    });
  }
}
