import { chunkByBytes, isTooLarge, MessageTooLargeError, messageBytes, tooLargeReference } from './produce-limits.js';

describe('produce limits', () => {
  it('cuts requests below the byte limit, in order', () => {
    const items = [400, 400, 300, 900, 100].map((bytes, i) => ({ bytes, i }));
    expect(chunkByBytes(items, 1000).map((c) => c.map((x) => x.i))).toEqual([[0, 1], [2], [3, 4]]);
  });

  it('weighs key, value and headers', () => {
    expect(messageBytes({ key: 'k', value: 'é', headers: { h: 'vv' } })).toBe(1 + 2 + 3 + 64);
  });

  it('recognises kafkajs size refusals and keeps only a reference of an oversized message', () => {
    expect(isTooLarge({ type: 'MESSAGE_TOO_LARGE' })).toBe(true);
    expect(isTooLarge({ type: 'RECORD_LIST_TOO_LARGE' })).toBe(true);
    expect(isTooLarge(new Error('x'))).toBe(false);
    // kafkajs' non-retriable wrapper keeps the message, not the type
    expect(
      isTooLarge({ name: 'KafkaJSNonRetriableError', message: 'The request included a message larger than the max message size the server will accept' }),
    ).toBe(true);
    expect(isTooLarge({ name: 'KafkaJSNumberOfRetriesExceeded', message: 'x', cause: { type: 'RECORD_LIST_TOO_LARGE' } })).toBe(true);
    const ref = tooLargeReference('rift.webhooks.retry.1s', { key: 'w', value: Buffer.alloc(5_000_000, 'a') }, new MessageTooLargeError(5_000_064, 1_000_000), {
      topic: 'rift.events.click',
      partition: 2,
      offset: '41',
    });
    expect((ref.value as Buffer).length).toBe(1024);
    expect(ref.headers).toMatchObject({
      'rift-target-topic': 'rift.webhooks.retry.1s',
      'rift-size-bytes': '5000064',
      'rift-source-offset': '41',
      'rift-reference': 'true',
    });
  });
});
