import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { EVENT_TYPES, type EventType } from '../contracts/event-types.js';

/** One retry tier: the attempt it makes, how long after the previous failure, and its topic. */
export interface RetryTier {
  attempt: number;
  delayMs: number;
  /** "1s", "25s", "200ms": the topic suffix, and the tier label of metrics. */
  label: string;
  topic: string;
}

/** Topic names as data, derived once from RIFT_TOPIC_PREFIX and WEBHOOK_RETRY_SCHEDULE. */
@Injectable()
export class Topics {
  readonly input: Record<EventType, string>;
  /** tiers[0] makes attempt 2, tiers[1] attempt 3, ... */
  readonly tiers: RetryTier[];
  readonly dlq: string;
  readonly invalid: string;
  /** One record per delivery attempt, consumed into the attempt log. */
  readonly attempts: string;
  /** Operational events: webhook.disabled, webhook.enabled, delivery.dead_lettered. */
  readonly operational: string;
  /** Consumer groups, named after the prefix: `rift-dispatcher` with the default prefix. */
  readonly groups: { dispatcher: string; retry: string; eventStore: string; attemptLog: string };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const p = config.kafka.topicPrefix;
    this.input = inputTopics(p);
    this.tiers = retryTiers(p, config.delivery.retrySchedule);
    this.dlq = `${p}.webhooks.dlq`;
    this.invalid = `${p}.events.invalid`;
    this.attempts = `${p}.webhooks.attempts`;
    this.operational = `${p}.webhooks.operational`;
    this.groups = { dispatcher: `${p}-dispatcher`, retry: `${p}-dispatcher-retry`, eventStore: `${p}-event-store`, attemptLog: `${p}-attempt-log` };
  }

  /** The tier that makes attempt n (n >= 2), or undefined after the last one. */
  tierFor(attempt: number): RetryTier | undefined {
    return this.tiers[attempt - 2];
  }

  /** Every consumer group of the pipeline with the topics it reads (for lag). */
  consumerGroups(): { group: string; topics: string[] }[] {
    return [
      { group: this.groups.dispatcher, topics: Object.values(this.input) },
      { group: this.groups.retry, topics: this.retryTopics() },
      { group: this.groups.eventStore, topics: Object.values(this.input) },
      { group: this.groups.attemptLog, topics: [this.attempts] },
    ];
  }

  /** Distinct retry topics (tiers with equal delays share one). */
  retryTopics(): string[] {
    return [...new Set(this.tiers.map((t) => t.topic))];
  }

  all(): string[] {
    return [...Object.values(this.input), ...this.retryTopics(), this.dlq, this.invalid, this.attempts, this.operational];
  }

  typeOfInput(topic: string): EventType | undefined {
    return EVENT_TYPES.find((t) => this.input[t] === topic);
  }
}

/** The input topic of each event type: `rift.events.click` with the default prefix. */
export function inputTopics(prefix: string): Record<EventType, string> {
  return { click: `${prefix}.events.click`, attribution: `${prefix}.events.attribution`, conversion: `${prefix}.events.conversion` };
}

/** 1 -> "1s", 25 -> "25s", 0.2 -> "200ms". */
export function tierLabel(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/** The retry tiers of a schedule (seconds before each attempt; the first is the first attempt's own). */
export function retryTiers(prefix: string, schedule: readonly number[]): RetryTier[] {
  return schedule.slice(1).map((seconds, i) => ({
    attempt: i + 2,
    delayMs: Math.round(seconds * 1000),
    label: tierLabel(seconds),
    topic: `${prefix}.webhooks.retry.${tierLabel(seconds)}`,
  }));
}
