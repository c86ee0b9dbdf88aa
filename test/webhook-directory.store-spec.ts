import { SecretBox } from '../src/common/secret-box.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { WebhookDirectory } from '../src/webhooks/webhook-directory.js';
import { seedTenant, storeHarness, type StoreHarness } from './support/store-module.js';
import { hex24 } from './support/store-rows.js';

/**
 * The dispatcher's lookups of tenants and webhooks (one query for many tenants, secrets opened,
 * rotation, disabled and undecryptable webhooks), against real rows. The module's directory has a
 * cache TTL of 0 (every lookup reads the database); one with a long TTL is built for the cache cases.
 */
describe('WebhookDirectory (store tier)', () => {
  let h: StoreHarness;
  let directory: WebhookDirectory;
  let box: SecretBox;

  const seedWebhook = async (
    tenant: string,
    o: { events?: string[]; secret?: string; sealFor?: string; next?: string; endsAt?: Date; disabled?: boolean } = {},
  ) => {
    const id = hex24();
    await h.db.query(
      `INSERT INTO webhooks (id, tenant_id, url, events, secret_ciphertext, next_secret_ciphertext, rotation_ends_at, disabled_at, disabled_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        tenant,
        `https://example.com/${id}`,
        o.events ?? ['click', 'conversion'],
        box.seal(o.secret ?? 'whsec_old', o.sealFor ?? id),
        o.next === undefined ? null : box.seal(o.next, id),
        o.endsAt ?? null,
        o.disabled ? new Date() : null,
        o.disabled ? 'failing' : null,
      ],
    );
    return id;
  };

  beforeAll(async () => {
    h = await storeHarness([WebhookDirectory], { WEBHOOK_CACHE_TTL_MS: '0' });
    directory = h.module.get(WebhookDirectory);
    box = new SecretBox(h.config.secretKey);
  });
  afterAll(() => h?.close());

  it('answers null for an unknown tenant and [] for a tenant without webhooks', async () => {
    expect(await directory.tenant(hex24())).toBeNull();
    expect(await directory.tenant(await seedTenant(h.db, hex24()))).toEqual([]);
  });

  it('loads the webhooks with their opened secrets, and subscribers of a type that are enabled', async () => {
    const t = await seedTenant(h.db, hex24());
    const clicks = await seedWebhook(t, { events: ['click'], secret: 'whsec_clicks' });
    const both = await seedWebhook(t);
    const off = await seedWebhook(t, { disabled: true });
    const all = await directory.tenant(t);
    expect(all!.map((s) => s.id).sort()).toEqual([clicks, both, off].sort());
    const c = all!.find((s) => s.id === clicks)!;
    expect(c).toMatchObject({ tenantId: t, url: `https://example.com/${clicks}`, disabled: false, nextSigningKey: undefined });
    expect([...c.events]).toEqual(['click']);
    expect(c.signingKey!.toString('utf8')).toBe('whsec_clicks');
    expect(all!.find((s) => s.id === off)!.disabled).toBe(true);
    expect((await directory.subscribers(t, 'click'))!.map((s) => s.id).sort()).toEqual([clicks, both].sort());
    expect((await directory.subscribers(t, 'conversion'))!.map((s) => s.id)).toEqual([both]);
    expect(await directory.subscribers(t, 'attribution')).toEqual([]);
    expect(await directory.subscribers(hex24(), 'click')).toBeNull();
  });

  it('marks only the webhook whose secret does not open as unusable', async () => {
    const t = await seedTenant(h.db, hex24());
    const good = await seedWebhook(t);
    const moved = await seedWebhook(t, { sealFor: hex24() }); // a ciphertext copied from another row
    const all = (await directory.tenant(t))!;
    expect(all.find((s) => s.id === moved)).toMatchObject({ signingKey: null, unusable: 'secret_undecryptable' });
    expect(all.find((s) => s.id === good)!.unusable).toBeUndefined();
  });

  it('signs with the old secret and offers the new one during a rotation, and with the new one after it', async () => {
    const t = await seedTenant(h.db, hex24());
    const during = await seedWebhook(t, { next: 'whsec_new', endsAt: new Date(Date.now() + 3_600_000) });
    const after = await seedWebhook(t, { next: 'whsec_new', endsAt: new Date(Date.now() - 1_000) });
    const all = (await directory.tenant(t))!;
    const d = all.find((s) => s.id === during)!;
    expect([d.signingKey!.toString(), d.nextSigningKey!.toString()]).toEqual(['whsec_old', 'whsec_new']);
    const a = all.find((s) => s.id === after)!;
    expect([a.signingKey!.toString(), a.nextSigningKey]).toEqual(['whsec_new', undefined]);
  });

  it('answers many tenants asked at once, each with its own webhooks', async () => {
    const tenants = await Promise.all(Array.from({ length: 6 }, () => seedTenant(h.db, hex24())));
    const hooks = await Promise.all(tenants.map((t) => seedWebhook(t)));
    const unknown = hex24();
    const answers = await Promise.all([...tenants, unknown].map((t) => directory.tenant(t)));
    expect(answers.slice(0, 6).map((a) => a!.map((s) => s.id))).toEqual(hooks.map((id) => [id]));
    expect(answers[6]).toBeNull();
  });

  describe('with a cache', () => {
    let cached: WebhookDirectory;
    beforeAll(() => {
      cached = new WebhookDirectory(
        h.module.get(PrismaService),
        { ...h.config, delivery: { ...h.config.delivery, cacheTtlMs: 60_000 } },
        h.module.get(SecretBox),
      );
    });

    it('finds a webhook created after the tenant was cached (looked up again before null is believed)', async () => {
      const t = await seedTenant(h.db, hex24());
      await seedWebhook(t);
      expect(await cached.tenant(t)).toHaveLength(1);
      const fresh = await seedWebhook(t);
      expect((await cached.tenant(t))!).toHaveLength(1); // within the TTL the list is the cached one
      expect((await cached.webhook(t, fresh))?.id).toBe(fresh);
      expect(await cached.webhook(t, hex24())).toBeNull();
    });

    it('keeps serving a deleted webhook within the TTL; without a cache it is gone at once', async () => {
      const t = await seedTenant(h.db, hex24());
      const id = await seedWebhook(t);
      expect((await cached.webhook(t, id))?.id).toBe(id);
      await h.db.query('DELETE FROM webhooks WHERE id = $1', [id]);
      expect((await cached.webhook(t, id))?.id).toBe(id);
      expect(await directory.webhook(t, id)).toBeNull();
    });
  });
});
