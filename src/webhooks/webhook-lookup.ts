import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError, notFound } from '../common/errors.js';
import { OBJECT_ID } from '../common/ids.js';
import { isoSeconds } from '../common/time.js';
import type { Webhook } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';

/** The one way every feature finds a tenant's webhook by id (API routes, redelivery, recovery, the CLI). */
@Injectable()
export class WebhookLookup {
  constructor(private readonly prisma: PrismaService) {}

  /** The tenant's webhook (any tenant's when tenantId is null: the CLI), or a 404 for an unknown id or another tenant's. */
  async find(tenantId: string | null, id: string): Promise<Webhook> {
    const row = OBJECT_ID.test(id) ? await this.prisma.webhook.findFirst({ where: tenantId === null ? { id } : { id, tenantId } }) : null;
    if (!row) throw notFound('webhook');
    return row;
  }
}

/** 409 for a disabled webhook (test sends, retries): the reason is named. */
export function assertEnabled(row: { id: string; disabledAt: Date | null; disabledReason: string | null }): void {
  if (row.disabledAt === null) return;
  throw new ApiError(
    HttpStatus.CONFLICT,
    'Conflict',
    `webhook ${row.id} is disabled (reason: ${row.disabledReason ?? 'unknown'}, since ${isoSeconds(row.disabledAt)}); re-enable it with PATCH /v1/webhooks/${row.id} {"enabled": true}`,
  );
}
