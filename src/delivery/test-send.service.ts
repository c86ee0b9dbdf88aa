import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { AttemptRecord } from '../contracts/attempt-record.js';
import { ApiError } from '../common/errors.js';
import { newObjectId } from '../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { deliveryHeaders } from './delivery-headers.js';
import { HttpSender } from './http-sender.js';
import { buildPayload, validateEventData } from '../events/event-schema.js';
import { KafkaProducer } from '../kafka/producer.js';
import { Topics } from '../kafka/topics.js';
import { type EventType } from '../contracts/event-types.js';
import { Metrics } from '../ops/metrics.js';
import type { TestSendResultDto } from './dto/test-send.dto.js';
import { openSigningKeys, type SigningKeys } from '../webhooks/secret-rotation.js';
import { SecretBox } from '../common/secret-box.js';
import { TestSendLimiter } from './test-send-limiter.js';
import { assertEnabled, WebhookLookup } from '../webhooks/webhook-lookup.js';

export class TestSendRateLimited extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    perMinute: number,
  ) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'Too Many Requests', `at most ${perMinute} test sends per webhook per minute; retry in ${retryAfterSeconds} s`);
  }
}

/** The docs' example events, with the caller's tenant id. */
function exampleData(type: EventType, tenantId: string): Record<string, unknown> {
  const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  switch (type) {
    case 'click':
      return { tenant_id: tenantId, link_id: 'summer-sale', user_agent: 'Mozilla/5.0 ...', referer: 'https://twitter.com', platform: 'ios', timestamp };
    case 'attribution':
      return { tenant_id: tenantId, link_id: 'summer-sale', install_id: 'device-uuid-123', app_version: '1.2.0', timestamp };
    case 'conversion':
      return {
        tenant_id: tenantId,
        source_id: '66a1b2c3d4e5f6a7b8c9d0e2',
        link_id: 'summer-sale',
        conversion_type: 'deposit',
        user_id: 'usr_abc123',
        amount_cents: 10000,
        currency: 'usd',
        metadata: { tx_hash: '0xabc...' },
        timestamp,
      };
  }
}

/**
 * POST /v1/webhooks/{id}/test: signs and sends one example event with the webhook's real headers
 * (both signatures, and both secrets during a rotation) plus `X-Rift-Test: true`, and answers with
 * the attempt's outcome. Not retried, not stored as an event, not counted towards endpoint health;
 * recorded in the attempt log with tier `test`.
 */
@Injectable()
export class TestSendService {
  private readonly logger = new Logger('TestSend');
  private readonly limiter: TestSendLimiter;

  constructor(
    private readonly webhooks: WebhookLookup,
    private readonly http: HttpSender,
    private readonly kafka: KafkaProducer,
    private readonly topics: Topics,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {
    this.limiter = new TestSendLimiter(config.delivery.testSendsPerMinute);
  }

  async send(tenantId: string, id: string, type: EventType): Promise<TestSendResultDto> {
    const row = await this.webhooks.find(tenantId, id);
    assertEnabled(row);
    const wait = this.limiter.take(id);
    if (wait > 0) {
      this.metrics.testSends.inc({ result: 'rate_limited' });
      throw new TestSendRateLimited(wait, this.config.delivery.testSendsPerMinute);
    }
    const keys = this.signingKeys(row);
    const validated = validateEventData(type, exampleData(type, tenantId));
    if (!validated.ok) throw new Error(`the example ${type} event is invalid: ${validated.reason}`);
    const eventId = newObjectId();
    const startedAt = new Date();
    const body = Buffer.from(buildPayload(type, validated.data, eventId, startedAt), 'utf8');
    const result = await this.http.post(row.url, body, deliveryHeaders(keys, { eventId, eventType: type, attempt: 1, body, test: true }));
    this.metrics.testSends.inc({ result: result.ok ? 'ok' : 'failed' });
    const record: AttemptRecord = {
      id: newObjectId(startedAt.getTime()),
      tenant_id: tenantId,
      webhook_id: id,
      event_id: eventId,
      event_type: type,
      attempt: 1,
      tier: 'test',
      outcome: result.ok ? 'succeeded' : 'failed',
      status_code: result.status ?? null,
      error: result.error ?? null,
      next: 'none',
      duration_ms: Math.round(result.durationMs),
      at: startedAt.toISOString(),
    };
    this.logger.log({
      msg: 'test send',
      attempt_id: record.id,
      webhook_id: id,
      event_id: eventId,
      event_type: type,
      outcome: record.outcome,
      status_code: record.status_code,
      error: record.error,
      duration_ms: record.duration_ms,
    });
    try {
      await this.kafka.send(this.topics.attempts, { key: id, value: JSON.stringify(record) });
    } catch (err) {
      // The caller still gets the outcome; only its attempt-log entry is missing.
      this.logger.warn(`test send ${eventId}: attempt record not produced: ${(err as Error).message}`);
    }
    return {
      event_id: eventId,
      event: type,
      succeeded: result.ok,
      status_code: result.status ?? null,
      duration_ms: record.duration_ms,
      error: result.error ?? null,
      response_body: result.body ? result.body.toString('utf8') : null,
    };
  }

  /** The keys deliveries use now; a secret that does not open (RIFT_SECRET_KEY changed) is a 409, not a 500. */
  private signingKeys(row: Parameters<typeof openSigningKeys>[1]): SigningKeys {
    try {
      return openSigningKeys(this.box, row, new Date());
    } catch {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'Conflict',
        `the secret of webhook ${row.id} cannot be decrypted with the service's RIFT_SECRET_KEY; rotate it with {"overlap_seconds": 0}`,
      );
    }
  }
}
