import { loadConfig } from '../config/config.js';
import { tierLabel, Topics } from './topics.js';

const topicsFor = (env: Record<string, string> = {}) => new Topics(loadConfig({ RIFT_SECRET_KEY: 'ab'.repeat(32), ...env }));

describe('Topics tiers', () => {
  it('makes one tier per retry of the schedule, attempt 2 first', () => {
    const t = topicsFor({ WEBHOOK_RETRY_SCHEDULE: '0,1,5,25' });
    expect(t.tiers).toEqual([
      { attempt: 2, delayMs: 1000, label: '1s', topic: 'rift.webhooks.retry.1s' },
      { attempt: 3, delayMs: 5000, label: '5s', topic: 'rift.webhooks.retry.5s' },
      { attempt: 4, delayMs: 25000, label: '25s', topic: 'rift.webhooks.retry.25s' },
    ]);
  });

  it('finds the tier of an attempt, and none after the last or before the second', () => {
    const t = topicsFor({ WEBHOOK_RETRY_SCHEDULE: '0,1,5,25' });
    expect(t.tierFor(2)?.label).toBe('1s');
    expect(t.tierFor(4)?.label).toBe('25s');
    expect(t.tierFor(5)).toBeUndefined();
    expect(t.tierFor(1)).toBeUndefined();
  });

  it('has no tier at all with a single-attempt schedule', () => {
    const t = topicsFor({ WEBHOOK_RETRY_SCHEDULE: '0' });
    expect(t.tiers).toEqual([]);
    expect(t.tierFor(2)).toBeUndefined();
    expect(t.retryTopics()).toEqual([]);
  });

  it('labels sub-second delays in ms, and lets tiers of equal delay share one topic', () => {
    const t = topicsFor({ WEBHOOK_RETRY_SCHEDULE: '0,0.2,0.2,1', RIFT_TOPIC_PREFIX: 'acme' });
    expect(t.tiers.map((x) => [x.attempt, x.delayMs, x.topic])).toEqual([
      [2, 200, 'acme.webhooks.retry.200ms'],
      [3, 200, 'acme.webhooks.retry.200ms'],
      [4, 1000, 'acme.webhooks.retry.1s'],
    ]);
    expect(t.retryTopics()).toEqual(['acme.webhooks.retry.200ms', 'acme.webhooks.retry.1s']);
    expect(new Set(t.all()).size).toBe(t.all().length);
  });

  it('names input topics, groups and the input type of a topic from the prefix', () => {
    const t = topicsFor({ RIFT_TOPIC_PREFIX: 'acme' });
    expect(t.typeOfInput('acme.events.conversion')).toBe('conversion');
    expect(t.typeOfInput('rift.events.conversion')).toBeUndefined();
    expect(t.typeOfInput('acme.webhooks.dlq')).toBeUndefined();
    expect(t.groups.dispatcher).toBe('acme-dispatcher');
    expect(t.consumerGroups().find((g) => g.group === 'acme-dispatcher-retry')?.topics).toEqual(t.retryTopics());
  });
});

describe('tierLabel', () => {
  it('writes whole seconds in s and the rest in ms', () => {
    expect([tierLabel(1), tierLabel(25), tierLabel(0.2), tierLabel(1.5), tierLabel(0.0004)]).toEqual(['1s', '25s', '200ms', '1500ms', '0ms']);
  });
});
