import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { api, createTenant } from './support/fixtures.js';
import { baseEnv, freePort, ROOT, ServiceProcess, uniquePrefix } from './support/service.js';

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

describe('rate limits, the operator port and the contract document (real service)', () => {
  const prefix = uniquePrefix('limits');
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let limited: ServiceProcess; // 5/min per key, 3 auth failures/min per IP, OPS_PORT, TRUST_PROXY=loopback
  let plain: ServiceProcess; // the defaults for ports and proxies: one port, the socket's address is the client
  let opsPort: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = baseEnv({ DATABASE_URL: db.url, RIFT_TOPIC_PREFIX: prefix, RIFT_ROLE: 'api', RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' });
    opsPort = await freePort();
    [limited, plain] = await Promise.all([
      new ServiceProcess({ ...env, OPS_PORT: String(opsPort), TRUST_PROXY: 'loopback' }).start(),
      new ServiceProcess(env).start(),
    ]);
  });

  afterAll(async () => {
    await Promise.all([limited?.stop(), plain?.stop()]);
    await db?.drop();
  });

  it('limits each API key to its rate with RateLimit-* headers, then 429 with Retry-After; other keys and /health are not limited', async () => {
    const a = createTenant(env, 'a');
    const b = createTenant(env, 'b');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await api(limited, a.api_key, 'GET', '/v1/webhooks'));
    expect(answers.map((r) => [r.status, r.headers.get('ratelimit-limit'), r.headers.get('ratelimit-remaining')])).toEqual(
      [4, 3, 2, 1, 0].map((left) => [200, '5', String(left)]),
    );
    expect(Number(answers[0]!.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    const over = await api(limited, a.api_key, 'GET', '/v1/webhooks');
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ status: 429, error: 'Too Many Requests', message: expect.stringContaining('per API key') });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Every route counts against the same key.
    expect((await api(limited, a.api_key, 'GET', '/v1/events')).status).toBe(429);
    expect((await api(limited, b.api_key, 'GET', '/v1/webhooks')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await get(`${limited.url}/health/live`)).status).toBe(200);
  });

  it('a burst past the limit gets 429s, never a 5xx', async () => {
    const c = createTenant(env, 'burst');
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api(limited, c.api_key, i % 2 ? 'GET' : 'POST', '/v1/webhooks', i % 2 ? undefined : { url: 'https://example.com/hook', events: ['click'] }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    expect(statuses.every((s) => s < 500)).toBe(true);
  });

  it('counts failed authentications per client IP; X-Forwarded-For only from a trusted proxy', async () => {
    const from = async (svc: ServiceProcess, ip: string) => {
      const r = await fetch(`${svc.url}/v1/webhooks`, { headers: { authorization: `Bearer rl_live_made-up-${Math.random()}`, 'x-forwarded-for': ip } });
      return { status: r.status, retryAfter: r.headers.get('retry-after') };
    };
    // Behind a trusted proxy (loopback): each forwarded client has its own budget.
    expect((await Promise.all([1, 2, 3].map(() => from(limited, '203.0.113.7')))).map((r) => r.status)).toEqual([401, 401, 401]);
    const blocked = await from(limited, '203.0.113.7');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect((await from(limited, '203.0.113.8')).status).toBe(401);
    // A valid key from the blocked address still works: only failures are refused.
    const t = createTenant(env, 'nat');
    expect((await fetch(`${limited.url}/v1/webhooks`, { headers: { authorization: `Bearer ${t.api_key}`, 'x-forwarded-for': '203.0.113.7' } })).status).toBe(
      200,
    );

    // No trusted proxy: the header is ignored, every request is the socket's address.
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect((await from(plain, ip)).status).toBe(401);
    expect((await from(plain, '198.51.100.4')).status).toBe(429);
  });

  it('serves /metrics and /health/* on OPS_PORT and no /metrics on the public port; /docs, /openapi.json and /asyncapi.json stay public', async () => {
    const ops = `http://127.0.0.1:${opsPort}`;
    expect((await get(`${limited.url}/metrics`)).status).toBe(404);
    const metrics = await get(`${ops}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('process_cpu_seconds_total');
    for (const base of [ops, limited.url]) {
      expect((await get(`${base}/health/live`)).status).toBe(200);
      const ready = await get(`${base}/health/ready`);
      expect([ready.status, ((await ready.json()) as { status: string }).status]).toEqual([200, 'ok']);
    }
    expect((await get(`${ops}/v1/webhooks`)).status).toBe(404);
    expect((await get(`${ops}/docs`)).status).toBe(404);
    expect((await get(`${limited.url}/docs`)).status).toBe(200);
    expect((await get(`${limited.url}/openapi.json`)).status).toBe(200);
    // Without OPS_PORT, everything on one port, as before.
    expect((await get(`${plain.url}/metrics`)).status).toBe(200);

    // The served contract names this deployment's topics and passes the AsyncAPI parser.
    const doc = (await (await get(`${limited.url}/asyncapi.json`)).json()) as { channels: Record<string, { address: string }> };
    expect(doc.channels.clickEvents.address).toBe(`${prefix}.events.click`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rift-asyncapi-')), 'asyncapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const check = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-asyncapi.mjs'), file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect([check.status, check.stderr]).toEqual([0, '']);
  });
});
