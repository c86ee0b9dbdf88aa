import { isoSeconds } from '../common/time.js';
import type { PrismaService } from '../prisma/prisma.service.js';

export interface WebhookListRow {
  webhook_id: string;
  tenant_id: string;
  url: string;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  disabled_at: string | null;
  consecutive_failures: number;
  last_success_at: string | null;
  last_failure_at: string | null;
}

const iso = (d: Date | null) => (d ? isoSeconds(d) : null);

/** `rift webhooks list [--tenant <id>] [--disabled]`: every tenant's webhooks with their health (no secrets). */
export async function listWebhooks(prisma: PrismaService, filter: { tenantId?: string; disabledOnly: boolean }): Promise<WebhookListRow[]> {
  const rows = await prisma.webhook.findMany({
    where: { ...(filter.tenantId ? { tenantId: filter.tenantId } : {}), ...(filter.disabledOnly ? { disabledAt: { not: null } } : {}) },
    orderBy: [{ tenantId: 'asc' }, { createdAt: 'asc' }],
  });
  return rows.map((w) => ({
    webhook_id: w.id,
    tenant_id: w.tenantId,
    url: w.url,
    status: w.disabledAt ? 'disabled' : 'active',
    disabled_reason: w.disabledReason,
    disabled_at: iso(w.disabledAt),
    consecutive_failures: w.consecutiveFailures,
    last_success_at: iso(w.lastSuccessAt),
    last_failure_at: iso(w.lastFailureAt),
  }));
}

export function webhooksTable(rows: WebhookListRow[]): string {
  if (rows.length === 0) return 'no webhooks match';
  const lines = rows.map(
    (r) =>
      `${r.webhook_id}  ${r.tenant_id}  ${r.status.padEnd(8)}  ${r.status === 'disabled' ? `${r.disabled_reason} since ${r.disabled_at}` : `failures:${r.consecutive_failures}`}  ${r.url}`,
  );
  return `${lines.join('\n')}\n${rows.length} webhook(s)`;
}
