import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '../common/secret-box.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { EventType } from '../contracts/event-types.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { openSigningKeys, type StoredSecrets } from './secret-rotation.js';

export interface Subscription {
  id: string;
  tenantId: string;
  url: string;
  events: ReadonlySet<string>;
  /** The webhook secret as UTF-8 bytes: the HMAC key (the old secret during a rotation's overlap). Null when it cannot be decrypted (see `unusable`). */
  signingKey: Buffer | null;
  /** During a rotation's overlap: the new secret's bytes (see secret-rotation.ts). */
  nextSigningKey?: Buffer;
  /** Why this webhook cannot be delivered to (its secret does not open with RIFT_SECRET_KEY). */
  unusable?: 'secret_undecryptable';
  /** Disabled webhooks get no deliveries; their jobs in the tiers go to the DLQ (webhook_disabled). */
  disabled: boolean;
}

interface Entry {
  exists: boolean;
  webhooks: Subscription[];
  expires: number;
}

/** How long past its TTL a cached tenant is still used while PostgreSQL does not answer. */
const STALE_IF_ERROR_MS = 60_000;

/**
 * The dispatcher's view of tenants and their webhooks, cached for WEBHOOK_CACHE_TTL_MS. That TTL
 * is how a delete, a PATCH or a rotated secret reaches every dispatcher: within one TTL, with no
 * extra moving part. Loads for many tenants at once share one query, and concurrent lookups of
 * one tenant share one load.
 */
@Injectable()
export class WebhookDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private batch: { ids: Set<string>; promise: Promise<Map<string, Entry>> } | undefined;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  /**
   * The tenant's webhooks, or null when the tenant does not exist. When PostgreSQL cannot be reached,
   * an expired entry is still used for up to STALE_IF_ERROR_MS (no webhook can change in a database
   * nobody reaches), so a short outage does not stop deliveries to known tenants.
   */
  async tenant(tenantId: string): Promise<Subscription[] | null> {
    const hit = this.cache.get(tenantId);
    const now = Date.now();
    let entry: Entry;
    if (hit && hit.expires > now) entry = hit;
    else {
      try {
        entry = await this.load(tenantId);
      } catch (err) {
        if (!hit || hit.expires + STALE_IF_ERROR_MS <= now) throw err;
        entry = hit;
      }
    }
    return entry.exists ? entry.webhooks : null;
  }

  /** The tenant's enabled webhooks subscribed to `type`, or null when the tenant does not exist. */
  async subscribers(tenantId: string, type: EventType): Promise<Subscription[] | null> {
    const all = await this.tenant(tenantId);
    return all && all.filter((w) => w.events.has(type) && !w.disabled);
  }

  /**
   * The webhook as it is now (disabled or not), or null once deleted. A webhook missing from the cached view is looked
   * up again in the database before null is believed: with several dispatchers, a webhook created a
   * moment ago may be newer than this one's cache, and a null drops a delivery.
   */
  async webhook(tenantId: string, webhookId: string): Promise<Subscription | null> {
    const cached = (await this.tenant(tenantId))?.find((w) => w.id === webhookId);
    if (cached) return cached;
    this.cache.delete(tenantId);
    return (await this.tenant(tenantId))?.find((w) => w.id === webhookId) ?? null;
  }

  private load(tenantId: string): Promise<Entry> {
    let p = this.loading.get(tenantId);
    if (!p) {
      p = this.joinBatch(tenantId).finally(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, p);
    }
    return p;
  }

  /** Tenants asked for in the same tick are loaded by one query. */
  private async joinBatch(tenantId: string): Promise<Entry> {
    if (!this.batch) {
      const ids = new Set<string>();
      const promise = new Promise<void>((r) => setImmediate(r)).then(() => {
        this.batch = undefined;
        return this.fetch([...ids]);
      });
      this.batch = { ids, promise };
    }
    this.batch.ids.add(tenantId);
    const result = await this.batch.promise;
    return result.get(tenantId)!;
  }

  private async fetch(tenantIds: string[]): Promise<Map<string, Entry>> {
    const rows = await this.prisma.tenant.findMany({
      where: { id: { in: tenantIds } },
      select: {
        id: true,
        webhooks: { select: { id: true, url: true, events: true, secretCiphertext: true, nextSecretCiphertext: true, rotationEndsAt: true, disabledAt: true } },
      },
    });
    const expires = Date.now() + this.config.delivery.cacheTtlMs;
    const out = new Map<string, Entry>(tenantIds.map((id) => [id, { exists: false, webhooks: [], expires }]));
    for (const t of rows) {
      out.set(t.id, {
        exists: true,
        expires,
        webhooks: t.webhooks.map((w) => ({
          id: w.id,
          tenantId: t.id,
          url: w.url,
          events: new Set(w.events),
          disabled: w.disabledAt !== null,
          ...this.openSecrets(w),
        })),
      });
    }
    for (const [id, e] of out) this.cache.set(id, e);
    if (this.cache.size > 50_000) this.evictExpired();
    return out;
  }

  /**
   * A secret that does not open (RIFT_SECRET_KEY changed, a row copied by hand) makes only its own
   * webhook unusable: its deliveries are dead-lettered with the reason (replayable once the key is
   * fixed), and nothing else waits for it.
   */
  private openSecrets(w: StoredSecrets & { id: string }): Pick<Subscription, 'signingKey' | 'nextSigningKey' | 'unusable'> {
    try {
      return openSigningKeys(this.box, w, new Date());
    } catch {
      return { signingKey: null, unusable: 'secret_undecryptable' };
    }
  }

  /** Unknown tenant ids (from bad input) must not grow the cache without bound. */
  private evictExpired(): void {
    const now = Date.now();
    for (const [id, e] of this.cache) if (e.expires + STALE_IF_ERROR_MS <= now) this.cache.delete(id);
  }
}
