import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ConsumerHealth } from '../kafka/consumer-health.js';
import { KafkaHealth } from '../kafka/kafka-health.js';

/** How often the consumer groups are looked at. */
const CHECK_EVERY_MS = 5_000;

/**
 * Exits the process when one of its consumer groups has not run for CONSUMER_RESTART_GIVE_UP_MS
 * although Kafka answers: the group's own restarts (TrackedConsumer) have not helped, and a new
 * process (started by the orchestrator) is the next thing to try. Never during a broker outage: then
 * a new process could do no better, and the service resumes by itself when Kafka is back.
 */
@Injectable()
export class ConsumerWatchdog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ConsumerWatchdog');
  private timer?: NodeJS.Timeout;
  /** Since when Kafka has answered without a break (undefined while it does not). */
  private kafkaAnsweringSince?: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kafka: KafkaHealth,
    private readonly consumers: ConsumerHealth,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check().catch(() => undefined), CHECK_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async check(now = Date.now()): Promise<void> {
    try {
      await this.kafka.ping();
      this.kafkaAnsweringSince ??= now;
    } catch {
      this.kafkaAnsweringSince = undefined;
      return; // Kafka itself is away: wait for it
    }
    // Counted from the later of the group going down and Kafka answering again: after a long broker
    // outage the groups get the whole give-up time to re-join before anyone gives up on them.
    if (now - this.kafkaAnsweringSince! <= this.config.kafka.consumerGiveUpMs) return;
    const down = this.consumers.down(now, this.config.kafka.consumerGiveUpMs);
    if (down.length === 0) return;
    const names = down.map((d) => `${d.group} (${d.state} since ${new Date(d.downSince!).toISOString()}: ${d.lastError ?? 'no error recorded'})`);
    this.logger.fatal(
      `consumer group(s) could not be restarted for ${this.config.kafka.consumerGiveUpMs} ms while Kafka answers; exiting so that the process is restarted: ${names.join('; ')}`,
    );
    process.exit(1);
  }
}
