import { Global, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withTimeout } from '../common/timeout.js';
import { ConsumerLag } from './consumer-lag.js';

/**
 * The process's Prometheus metrics (GET /metrics). Labels stay bounded: event type, outcome, tier,
 * input topic, consumer group/topic/partition; never tenant or webhook ids.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private inFlightSource: () => number = () => 0;

  readonly deliveries = new Counter({
    name: 'rift_deliveries_total',
    help: 'Deliveries by event type and outcome: delivered, retried (an attempt failed, the job went to the next tier), deferred (the webhook was at its in-flight cap; put back without using an attempt), dead_lettered, skipped_deleted',
    labelNames: ['event_type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly attempts = new Counter({
    name: 'rift_delivery_attempts_total',
    help: 'HTTP delivery attempts by event type, tier (first, or the retry tier that made it) and result (ok, failed)',
    labelNames: ['event_type', 'tier', 'result'] as const,
    registers: [this.registry],
  });

  readonly attemptSeconds = new Histogram({
    name: 'rift_delivery_attempt_duration_seconds',
    help: 'Duration of delivery attempts',
    labelNames: ['event_type', 'result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'rift_dlq_total',
    help: 'Deliveries sent to the dead-letter topic',
    labelNames: ['event_type'] as const,
    registers: [this.registry],
  });

  readonly invalidEvents = new Counter({
    name: 'rift_invalid_events_total',
    help: 'Input messages set aside on the invalid-events topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly eventsStored = new Counter({
    name: 'rift_events_stored_total',
    help: 'Events newly stored by the event store (duplicates not counted)',
    registers: [this.registry],
  });

  readonly operationalEvents = new Counter({
    name: 'rift_operational_events_total',
    help: 'Events produced to the operational topic (webhook.disabled, webhook.enabled, delivery.dead_lettered)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly webhooksDisabled = new Counter({
    name: 'rift_webhooks_disabled_total',
    help: 'Webhooks disabled, by reason (gone: a 410; failing: nothing but failures for WEBHOOK_DISABLE_AFTER_HOURS; manual)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly retryAfter = new Counter({
    name: 'rift_retry_after_total',
    help: 'Retries scheduled later than the schedule because the receiver sent Retry-After on a 429/503',
    labelNames: ['tier'] as const,
    registers: [this.registry],
  });

  readonly testSends = new Counter({
    name: 'rift_test_sends_total',
    help: 'POST /v1/webhooks/{id}/test sends, by result (ok, failed, rate_limited)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly inFlight: Gauge;

  readonly lag = new Gauge({
    name: 'rift_kafka_consumer_lag',
    help: 'Log-end offset minus committed offset, per consumer group, topic and partition',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly lagStale = new Gauge({
    name: 'rift_kafka_consumer_lag_stale',
    help: '1 when the last lag refresh failed (Kafka unreachable): rift_kafka_consumer_lag is old',
    registers: [this.registry],
  });

  readonly dlqMessages = new Gauge({
    name: 'rift_dlq_messages',
    help: 'Entries held by the dead-letter topic (log end minus log start), refreshed with the lag',
    registers: [this.registry],
  });

  readonly lagUpdated = new Gauge({
    name: 'rift_kafka_consumer_lag_updated_seconds',
    help: 'Unix time of the last successful lag refresh',
    registers: [this.registry],
  });

  constructor() {
    const source = () => this.inFlightSource();
    this.inFlight = new Gauge({
      name: 'rift_deliveries_in_flight',
      help: 'HTTP delivery attempts in flight in this process',
      registers: [this.registry],
      collect() {
        this.set(source());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The dispatcher tells where its in-flight count lives. */
  trackInFlight(source: () => number): void {
    this.inFlightSource = source;
  }
}

const LAG_REFRESH_MS = 5_000;

/** Refreshes the consumer-lag gauges from the Kafka admin API on an interval, in every role. */
@Injectable()
export class LagCollector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LagCollector');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly lag: ConsumerLag,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.refresh(), LAG_REFRESH_MS);
    void this.refresh();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const [rows, dlq] = await withTimeout(Promise.all([this.lag.rows(), this.lag.dlqDepth()]), 4_000);
      this.metrics.lag.reset();
      for (const r of rows) this.metrics.lag.set({ group: r.group, topic: r.topic, partition: String(r.partition) }, r.lag);
      this.metrics.dlqMessages.set(dlq);
      this.metrics.lagStale.set(0);
      this.metrics.lagUpdated.set(Date.now() / 1000);
    } catch (err) {
      this.metrics.lagStale.set(1);
      this.logger.debug(`lag refresh failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}

@Global()
@Module({ providers: [Metrics, ConsumerLag, LagCollector], exports: [Metrics] })
export class MetricsModule {}
