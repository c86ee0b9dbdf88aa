import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiError, notFound } from '../common/errors.js';
import { newObjectId, OBJECT_ID } from '../common/ids.js';
import { assertPublicHost, UnsafeTargetError } from '../common/network-policy.js';
import { SecretBox } from '../common/secret-box.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { standardWebhooksSecret } from './secret-format.js';
import { emitOperational } from '../endpoint-health/operational-events.js';
import { isoSeconds } from '../common/time.js';
import type { Webhook } from '../generated/prisma/client.js';
import { DurableSender } from '../kafka/durable-sender.js';
import { Topics } from '../kafka/topics.js';
import { type EventType } from '../contracts/event-types.js';
import { Metrics } from '../ops/metrics.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { WebhookLookup } from './webhook-lookup.js';
import type { CreatedWebhookDto, CreateWebhookDto, UpdateWebhookDto, WebhookDto } from './dto/webhook.dto.js';
import { effectiveSecrets } from './secret-rotation.js';

/** Rift's published limit (disabled webhooks count: delete one to free its place). */
export const MAX_WEBHOOKS_PER_TENANT = 2;

export const newSecret = () => randomBytes(32).toString('hex');

@Injectable()
export class WebhooksService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kafka: DurableSender,
    private readonly topics: Topics,
    private readonly metrics: Metrics,
    readonly box: SecretBox,
    private readonly lookup: WebhookLookup,
  ) {}

  async create(tenantId: string, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    await this.checkTarget(dto.url);
    const id = newObjectId();
    const secret = newSecret();
    const row = await this.prisma.$transaction(async (tx) => {
      // Serialise creations per tenant: the row lock makes count-then-insert safe under concurrency.
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
      const count = await tx.webhook.count({ where: { tenantId } });
      if (count >= MAX_WEBHOOKS_PER_TENANT) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'Conflict',
          `webhook limit reached: a tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks (disabled ones included); delete one first`,
        );
      }
      return tx.webhook.create({
        data: { id, tenantId, url: dto.url, events: dto.events, secretCiphertext: this.box.seal(secret, id) },
      });
    });
    // The docs' keys in the docs' order, then what is beyond the docs.
    return {
      id: row.id,
      url: row.url,
      events: row.events as EventType[],
      secret,
      created_at: isoSeconds(row.createdAt),
      standard_webhooks_secret: standardWebhooksSecret(secret),
      status: 'active',
    };
  }

  async list(tenantId: string, { disabledOnly = false } = {}): Promise<WebhookDto[]> {
    const rows = await this.prisma.webhook.findMany({
      where: { tenantId, ...(disabledOnly ? { disabledAt: { not: null } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(toDto);
  }

  async update(tenantId: string, id: string, dto: UpdateWebhookDto): Promise<WebhookDto> {
    if (dto.url === undefined && dto.events === undefined && dto.enabled === undefined) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', ['body: give url, events, enabled, or several of them']);
    }
    const before = await this.owned(tenantId, id);
    if (dto.url !== undefined) await this.checkTarget(dto.url);
    const wasEnabled = before.disabledAt === null;
    const toggle =
      dto.enabled === true && !wasEnabled
        ? { disabledAt: null, disabledReason: null, consecutiveFailures: 0, failingSince: null }
        : dto.enabled === false && wasEnabled
          ? { disabledAt: new Date(), disabledReason: 'manual' }
          : {};
    const row = await this.prisma.webhook.update({ where: { id }, data: { url: dto.url, events: dto.events, ...toggle } });
    if (dto.enabled === true && !wasEnabled) {
      await emitOperational(this.kafka, this.topics, this.metrics, { type: 'webhook.enabled', webhook_id: id, tenant_id: tenantId });
    } else if (dto.enabled === false && wasEnabled) {
      this.metrics.webhooksDisabled.inc({ reason: 'manual' });
      await emitOperational(this.kafka, this.topics, this.metrics, { type: 'webhook.disabled', webhook_id: id, tenant_id: tenantId, reason: 'manual' });
    }
    return toDto(row);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!OBJECT_ID.test(id)) throw notFound('webhook');
    const { count } = await this.prisma.webhook.deleteMany({ where: { id, tenantId } });
    if (count === 0) throw notFound('webhook');
  }

  /** The tenant's webhook, or a 404 for an unknown id or another tenant's. */
  owned(tenantId: string, id: string): Promise<Webhook> {
    return this.lookup.find(tenantId, id);
  }

  private async checkTarget(url: string): Promise<void> {
    if (this.config.delivery.allowPrivateNetworks) return;
    try {
      await assertPublicHost(new URL(url).hostname);
    } catch (err) {
      if (err instanceof UnsafeTargetError) throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', [`url: ${err.message}`]);
      throw err;
    }
  }
}

const iso = (d: Date | null) => (d === null ? null : isoSeconds(d));

function toDto(row: Webhook): WebhookDto {
  const rotating = effectiveSecrets(row, new Date()).next !== undefined;
  return {
    id: row.id,
    url: row.url,
    events: row.events as EventType[],
    created_at: isoSeconds(row.createdAt),
    status: row.disabledAt === null ? 'active' : 'disabled',
    disabled_reason: row.disabledReason,
    disabled_at: iso(row.disabledAt),
    health: { consecutive_failures: row.consecutiveFailures, last_success_at: iso(row.lastSuccessAt), last_failure_at: iso(row.lastFailureAt) },
    rotation_ends_at: rotating ? iso(row.rotationEndsAt) : null,
  };
}
