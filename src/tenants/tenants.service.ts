import { Injectable } from '@nestjs/common';
import { newObjectId } from '../common/ids.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { API_KEY_FORMAT, generateApiKey, hashApiKey, KEY_PREFIX_LENGTH } from './api-keys.js';

export class TenantError extends Error {}

export interface TenantSummary {
  tenant_id: string;
  name: string;
  created_at: string;
  active_keys: number;
}

/** Tenants and their API keys: used by the CLI (create, list, keys) and by the auth guard. */
@Injectable()
export class TenantsService {
  constructor(private readonly prisma: PrismaService) {}

  async createTenant(name: string): Promise<{ tenant_id: string; api_key: string }> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) throw new TenantError('tenant name must be 1-200 characters');
    const tenantId = newObjectId();
    const key = generateApiKey();
    await this.prisma.tenant.create({
      data: {
        id: tenantId,
        name: trimmed,
        apiKeys: { create: { id: newObjectId(), prefix: key.slice(0, KEY_PREFIX_LENGTH), hash: hashApiKey(key) } },
      },
    });
    return { tenant_id: tenantId, api_key: key };
  }

  async listTenants(): Promise<TenantSummary[]> {
    const rows = await this.prisma.tenant.findMany({
      orderBy: { createdAt: 'asc' },
      include: { _count: { select: { apiKeys: { where: { revokedAt: null } } } } },
    });
    return rows.map((t) => ({ tenant_id: t.id, name: t.name, created_at: t.createdAt.toISOString(), active_keys: t._count.apiKeys }));
  }

  async createKey(tenantId: string): Promise<{ key_id: string; tenant_id: string; api_key: string }> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId } });
    if (!tenant) throw new TenantError(`no tenant ${tenantId}`);
    const key = generateApiKey();
    const id = newObjectId();
    await this.prisma.apiKey.create({ data: { id, tenantId, prefix: key.slice(0, KEY_PREFIX_LENGTH), hash: hashApiKey(key) } });
    return { key_id: id, tenant_id: tenantId, api_key: key };
  }

  /** Revokes one key named by its id or by a prefix of the key that matches exactly one key. */
  async revokeKey(idOrPrefix: string): Promise<{ key_id: string; tenant_id: string; prefix: string }> {
    const candidates = await this.prisma.apiKey.findMany({
      where: { revokedAt: null, OR: [{ id: idOrPrefix }, { prefix: { startsWith: idOrPrefix.slice(0, KEY_PREFIX_LENGTH) } }] },
    });
    const matches = candidates.filter(
      (k) => k.id === idOrPrefix || (idOrPrefix.length >= 10 && (k.prefix.startsWith(idOrPrefix) || idOrPrefix.startsWith(k.prefix))),
    );
    if (matches.length === 0) throw new TenantError(`no active key matches ${idOrPrefix}`);
    if (matches.length > 1) throw new TenantError(`${matches.length} keys match ${idOrPrefix}; give the key id or a longer prefix`);
    const key = matches[0]!;
    await this.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    return { key_id: key.id, tenant_id: key.tenantId, prefix: key.prefix };
  }

  /** The tenant id a bearer key belongs to, or null for a malformed, unknown or revoked key. */
  async authenticate(key: string): Promise<string | null> {
    if (!API_KEY_FORMAT.test(key)) return null;
    const row = await this.prisma.apiKey.findUnique({ where: { hash: hashApiKey(key) }, select: { tenantId: true, revokedAt: true } });
    return row && row.revokedAt === null ? row.tenantId : null;
  }
}
