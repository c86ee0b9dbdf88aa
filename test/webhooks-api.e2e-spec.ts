import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant, registerWebhook } from './support/fixtures.js';
import { baseEnv, rift, ServiceProcess, uniquePrefix } from './support/service.js';
import { INVALID_CREATE_BODIES, PRIVATE_TARGETS } from './support/webhook-requests.js';

/** The REST API through real HTTP, against a real PostgreSQL. */
describe('webhook management API', () => {
  let db: TestDatabase;
  let svc: ServiceProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: uniquePrefix('api'), RIFT_ROLE: 'api' });
    svc = await new ServiceProcess(env).start();
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.drop();
  });

  it("replays the docs' curl examples: register, list, delete", async () => {
    const t = createTenant(env);
    const created = await api(svc, t.api_key, 'POST', '/v1/webhooks', {
      url: 'https://yourserver.com/rift-webhook',
      events: ['click', 'attribution', 'conversion'],
    });
    expect(created.status).toBe(201);
    // The docs' keys in the docs' order and form, then what is beyond the docs.
    expect(Object.keys(created.body)).toEqual(['id', 'url', 'events', 'secret', 'created_at', 'standard_webhooks_secret', 'status']);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      url: 'https://yourserver.com/rift-webhook',
      events: ['click', 'attribution', 'conversion'],
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      standard_webhooks_secret: `whsec_${Buffer.from(created.body.secret).toString('base64')}`,
      status: 'active',
    });
    expect(Math.abs(Date.parse(created.body.created_at) - Date.now())).toBeLessThan(60_000);

    const list = await api(svc, t.api_key, 'GET', '/v1/webhooks');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        id: created.body.id,
        url: created.body.url,
        events: created.body.events,
        created_at: created.body.created_at,
        status: 'active',
        disabled_reason: null,
        disabled_at: null,
        health: { consecutive_failures: 0, last_success_at: null, last_failure_at: null },
        rotation_ends_at: null,
      },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    const del = await api(svc, t.api_key, 'DELETE', `/v1/webhooks/${created.body.id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expect((await api(svc, t.api_key, 'GET', '/v1/webhooks')).body).toEqual([]);
    expect((await api(svc, t.api_key, 'DELETE', `/v1/webhooks/${created.body.id}`)).status).toBe(404);
  });

  it('stores the secret encrypted, never in clear', async () => {
    const t = createTenant(env);
    const wh = await registerWebhook(svc, t.api_key, 'https://example.com/hook', ['click']);
    const [row] = await db.query<{ secret_ciphertext: string }>('SELECT secret_ciphertext FROM webhooks WHERE id = $1', [wh.id]);
    expect(row!.secret_ciphertext).not.toContain(wh.secret);
    expect(Buffer.from(row!.secret_ciphertext, 'base64').toString('hex')).not.toContain(wh.secret);
    expect(Buffer.from(row!.secret_ciphertext, 'base64').length).toBe(12 + 16 + 64);
    const [key] = await db.query<{ hash: string; prefix: string }>('SELECT hash, prefix FROM api_keys WHERE tenant_id = $1', [t.tenant_id]);
    expect(key!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key!.hash).not.toContain(t.api_key.slice(8));
    expect(svc.output).not.toContain(wh.secret);
    expect(svc.output).not.toContain(t.api_key);
  });

  describe('validation: a 400 naming the field', () => {
    let key: string;
    beforeAll(() => {
      key = createTenant(env).api_key;
    });
    it.each(INVALID_CREATE_BODIES)('%s', async (_name, body, field) => {
      const r = await api(svc, key, 'POST', '/v1/webhooks', body);
      expect(r.status).toBe(400);
      expect(r.body.status).toBe(400);
      expect(r.body.error).toBe('Bad Request');
      const text = JSON.stringify(r.body.message);
      if (field) expect(text).toContain(field);
    });

    it('invalid JSON', async () => {
      const r = await api(svc, key, 'POST', '/v1/webhooks', '{"url": ');
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ status: 400, error: 'Bad Request', message: expect.stringContaining('JSON') });
    });

    it('refuses private, loopback, link-local and metadata targets', async () => {
      const strict = await new ServiceProcess({ ...env, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', RIFT_ROLE: 'api' }).start();
      try {
        for (const url of PRIVATE_TARGETS) {
          const r = await api(strict, key, 'POST', '/v1/webhooks', { url, events: ['click'] });
          expect([url, r.status]).toEqual([url, 400]);
          expect(JSON.stringify(r.body.message)).toContain('url');
        }
      } finally {
        await strict.stop();
      }
    });
  });

  it('allows at most 2 webhooks per tenant', async () => {
    const t = createTenant(env);
    await registerWebhook(svc, t.api_key, 'https://example.com/1', ['click']);
    await registerWebhook(svc, t.api_key, 'https://example.com/2', ['click']);
    const third = await api(svc, t.api_key, 'POST', '/v1/webhooks', { url: 'https://example.com/3', events: ['click'] });
    expect(third.status).toBe(409);
    expect(third.body.message).toMatch(/at most 2 webhooks/);
  });

  it('holds the limit under 20 concurrent creations', async () => {
    const t = createTenant(env);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api(svc, t.api_key, 'POST', '/v1/webhooks', { url: `https://example.com/c${i}`, events: ['click'] })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(18);
    expect((await api(svc, t.api_key, 'GET', '/v1/webhooks')).body).toHaveLength(2);
    const [{ count }] = await db.query<{ count: string }>('SELECT count(*) FROM webhooks WHERE tenant_id = $1', [t.tenant_id]);
    expect(Number(count)).toBe(2);
  });

  it('lists newest first', async () => {
    const t = createTenant(env);
    const a = await registerWebhook(svc, t.api_key, 'https://example.com/a', ['click']);
    const b = await registerWebhook(svc, t.api_key, 'https://example.com/b', ['click']);
    expect((await api(svc, t.api_key, 'GET', '/v1/webhooks')).body.map((w: { id: string }) => w.id)).toEqual([b.id, a.id]);
  });

  it("isolates tenants: another tenant's webhook is invisible and cannot be changed (404)", async () => {
    const a = createTenant(env, 'a');
    const b = createTenant(env, 'b');
    const wh = await registerWebhook(svc, a.api_key, 'https://example.com/a', ['click']);
    expect((await api(svc, b.api_key, 'GET', '/v1/webhooks')).body).toEqual([]);
    expect((await api(svc, b.api_key, 'DELETE', `/v1/webhooks/${wh.id}`)).status).toBe(404);
    expect((await api(svc, b.api_key, 'PATCH', `/v1/webhooks/${wh.id}`, { events: ['conversion'] })).status).toBe(404);
    expect((await api(svc, b.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret`)).status).toBe(404);
    expect((await api(svc, a.api_key, 'GET', '/v1/webhooks')).body).toHaveLength(1);
    expect((await api(svc, a.api_key, 'DELETE', '/v1/webhooks/not-an-id')).status).toBe(404);
  });

  it('answers 401 with one JSON shape for missing, malformed, unknown and revoked keys', async () => {
    const t = createTenant(env);
    const extra = rift(['key', 'create', '--tenant', t.tenant_id], env);
    expect(extra.status).toBe(0);
    const second = JSON.parse(extra.stdout) as { key_id: string; api_key: string };
    expect((await api(svc, second.api_key, 'GET', '/v1/webhooks')).status).toBe(200);
    const revoked = rift(['key', 'revoke', second.api_key.slice(0, 16)], env);
    expect(revoked.status).toBe(0);
    expect(JSON.parse(revoked.stdout).revoked.key_id).toBe(second.key_id);
    const bodies = [];
    for (const header of [null, 'Basic abc', 'Bearer', 'Bearer rl_live_short', `Bearer rl_live_${'x'.repeat(43)}`, `Bearer ${second.api_key}`]) {
      const res = await fetch(`${svc.url}/v1/webhooks`, { headers: header ? { authorization: header } : {} });
      expect(res.status).toBe(401);
      bodies.push(await res.json());
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]).toEqual({ status: 401, error: 'Unauthorized', message: expect.any(String) });
    expect((await api(svc, t.api_key, 'GET', '/v1/webhooks')).status).toBe(200);
  });

  it('PATCH changes url and events with the same rules; rotate-secret returns a new secret once', async () => {
    const t = createTenant(env);
    const wh = await registerWebhook(svc, t.api_key, 'https://example.com/old', ['click']);
    const patched = await api(svc, t.api_key, 'PATCH', `/v1/webhooks/${wh.id}`, { url: 'https://example.com/new', events: ['conversion', 'click'] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id: wh.id,
      url: 'https://example.com/new',
      events: ['conversion', 'click'],
      created_at: wh.created_at,
      status: 'active',
    });
    expect((await api(svc, t.api_key, 'PATCH', `/v1/webhooks/${wh.id}`, { url: 'http://example.com' })).status).toBe(400);
    expect((await api(svc, t.api_key, 'PATCH', `/v1/webhooks/${wh.id}`, {})).status).toBe(400);
    const rotated = await api(svc, t.api_key, 'POST', `/v1/webhooks/${wh.id}/rotate-secret`, { overlap_seconds: 0 });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({
      id: wh.id,
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      standard_webhooks_secret: expect.stringMatching(/^whsec_/),
      rotation_ends_at: null,
    });
    expect(rotated.body.secret).not.toBe(wh.secret);
  });

  it("documents the API in OpenAPI with the bearer scheme and the docs' examples", async () => {
    const spec = (await (await fetch(`${svc.url}/openapi.json`)).json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.components.securitySchemes.bearer.scheme).toBe('bearer');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhooks',
        '/v1/webhooks/{id}',
        '/v1/webhooks/{id}/rotate-secret',
        '/v1/webhooks/{id}/rotate-secret/complete',
        '/v1/webhooks/{id}/test',
      ]),
    );
    expect(spec.paths['/v1/webhooks/{id}/test'].post.responses['409']).toBeDefined();
    expect(spec.paths['/v1/webhooks/{id}/test'].post.responses['429']).toBeDefined();
    expect(Object.keys(spec.components.schemas.CreatedWebhookDto.properties)).toEqual([
      'id',
      'url',
      'events',
      'secret',
      'created_at',
      'standard_webhooks_secret',
      'status',
    ]);
    expect(spec.components.schemas.WebhookDto.properties.status.enum).toEqual(['active', 'disabled']);
    expect(spec.components.schemas.RotateSecretDto.properties.overlap_seconds.default).toBe(86400);
    expect(spec.paths['/v1/webhooks'].post.responses['201']).toBeDefined();
    expect(spec.paths['/v1/webhooks'].post.responses['400']).toBeDefined();
    expect(spec.components.schemas.CreatedWebhookDto.properties.secret.example).toBe('a1b2c3d4...64-char-hex-string');
    expect(spec.components.schemas.CreateWebhookDto.properties.url.example).toBe('https://yourserver.com/rift-webhook');
    expect((await fetch(`${svc.url}/docs`)).status).toBe(200);
  });

  it('CLI: tenant create prints exactly one JSON object; list; errors exit non-zero', () => {
    const r = rift(['tenant', 'create', '--name', 'cli co'], env);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const obj = JSON.parse(lines[0]!);
    expect(Object.keys(obj)).toEqual(['tenant_id', 'api_key']);
    expect(obj.tenant_id).toMatch(/^[0-9a-f]{24}$/);
    expect(obj.api_key).toMatch(/^rl_live_[A-Za-z0-9_-]{43}$/);
    const list = rift(['tenant', 'list', '--json'], env);
    expect(JSON.parse(list.stdout).map((x: { tenant_id: string }) => x.tenant_id)).toContain(obj.tenant_id);
    expect(rift(['tenant', 'create'], env).status).toBe(2);
    expect(rift(['key', 'create', '--tenant', '000000000000000000000000'], env).status).toBe(2);
    expect(rift(['key', 'revoke', 'rl_live_nothing_like_this'], env).status).toBe(2);
    expect(rift(['bogus'], env).status).toBe(2);
  });
});
