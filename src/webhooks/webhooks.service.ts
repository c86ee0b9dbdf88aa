import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ApiError, notFound } from '../common/errors.js';
import { newObjectId, OBJECT_ID } from '../common/ids.js';
import { assertPublicHost, UnsafeTargetError } from '../common/network-policy.js';
import { SecretBox } from '../common/secret-box.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Webhook } from '../generated/prisma/client.js';
import type { EventType } from '../kafka/topics.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { CreatedWebhookDto, CreateWebhookDto, RotatedSecretDto, UpdateWebhookDto, WebhookDto } from './dto/webhook.dto.js';

/** Rift's published limit. */
export const MAX_WEBHOOKS_PER_TENANT = 2;

const newSecret = () => randomBytes(32).toString('hex');

@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;

  constructor(private readonly prisma: PrismaService, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.box = new SecretBox(config.secretKey);
  }

  async create(tenantId: string, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    await this.checkTarget(dto.url);
    const id = newObjectId();
    const secret = newSecret();
    const row = await this.prisma.$transaction(async (tx) => {
      // Serialise creations per tenant: the row lock makes count-then-insert safe under concurrency.
      await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId} FOR UPDATE`;
      const count = await tx.webhook.count({ where: { tenantId } });
      if (count >= MAX_WEBHOOKS_PER_TENANT) {
        throw new ApiError(HttpStatus.CONFLICT, 'Conflict', `webhook limit reached: a tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first`);
      }
      return tx.webhook.create({
        data: { id, tenantId, url: dto.url, events: dto.events, secretCiphertext: this.box.seal(secret, id) },
      });
    });
    return { ...toDto(row), secret };
  }

  async list(tenantId: string): Promise<WebhookDto[]> {
    const rows = await this.prisma.webhook.findMany({ where: { tenantId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    return rows.map(toDto);
  }

  async update(tenantId: string, id: string, dto: UpdateWebhookDto): Promise<WebhookDto> {
    if (dto.url === undefined && dto.events === undefined) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'Bad Request', ['body: give url, events, or both']);
    }
    await this.owned(tenantId, id);
    if (dto.url !== undefined) await this.checkTarget(dto.url);
    const row = await this.prisma.webhook.update({ where: { id }, data: { url: dto.url, events: dto.events } });
    return toDto(row);
  }

  async rotateSecret(tenantId: string, id: string): Promise<RotatedSecretDto> {
    await this.owned(tenantId, id);
    const secret = newSecret();
    await this.prisma.webhook.update({ where: { id }, data: { secretCiphertext: this.box.seal(secret, id) } });
    return { id, secret };
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!OBJECT_ID.test(id)) throw notFound('webhook');
    const { count } = await this.prisma.webhook.deleteMany({ where: { id, tenantId } });
    if (count === 0) throw notFound('webhook');
  }

  private async owned(tenantId: string, id: string): Promise<Webhook> {
    const row = OBJECT_ID.test(id) ? await this.prisma.webhook.findFirst({ where: { id, tenantId } }) : null;
    if (!row) throw notFound('webhook');
    return row;
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

function toDto(row: Webhook): WebhookDto {
  return { id: row.id, url: row.url, events: row.events as EventType[], created_at: row.createdAt.toISOString() };
}
