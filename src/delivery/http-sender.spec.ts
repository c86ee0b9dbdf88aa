import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { testPki } from '../../test/support/tls.js';
import { loadConfig } from '../config/config.js';
import { HttpSender } from './http-sender.js';

/**
 * How a failed attempt is classed (the `error` of the attempt record and the API). Only loopback
 * sockets: a port nobody listens on, a TLS server with a certificate from a CA the process does not
 * trust, and a server that accepts and never answers. Successful sends and http_<status> need a
 * trusted receiver: test/delivery.e2e-spec.ts covers them.
 */
const senderWith = (env: Record<string, string>) => new HttpSender(loadConfig({ RIFT_SECRET_KEY: 'ab'.repeat(32), ...env }));
const body = Buffer.from('{}');

const listen = (server: net.Server) => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
const close = (server: net.Server) => new Promise<void>((r) => server.close(() => r()));

describe('HttpSender failure classes', () => {
  const strict = senderWith({});
  const open = senderWith({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '400' });
  afterAll(() => {
    strict.onApplicationShutdown();
    open.onApplicationShutdown();
  });

  it('classes a URL that does not parse, and one that is not https, without any I/O', async () => {
    expect(await strict.post('not a url', body, {})).toEqual({ ok: false, error: 'invalid_url', durationMs: 0 });
    expect(await strict.post('http://example.com/hook', body, {})).toEqual({ ok: false, error: 'not_https', durationMs: 0 });
  });

  it.each(['https://127.0.0.1:1/', 'https://[::1]/', 'https://169.254.169.254/latest/meta-data', 'https://[::ffff:10.0.0.1]/', 'https://0x7f000001/'])(
    'refuses the non-public literal %s before connecting',
    async (url) => {
      expect(await strict.post(url, body, {})).toEqual({ ok: false, error: 'unsafe_target', durationMs: 0 });
    },
  );

  it('refuses a name that resolves to loopback at lookup time (unsafe_target, not a connection error)', async () => {
    const r = await strict.post('https://localhost:9/', body, {});
    expect(r).toMatchObject({ ok: false, error: 'unsafe_target' });
  });

  it('classes a refused connection as econnrefused (the spelling tenants read)', async () => {
    const server = net.createServer();
    const port = await listen(server);
    await close(server); // the port is now closed
    expect(await open.post(`https://127.0.0.1:${port}/`, body, {})).toMatchObject({ ok: false, error: 'econnrefused' });
  });

  it('classes an untrusted certificate as tls', async () => {
    const pki = testPki();
    let requests = 0;
    const server = https.createServer({ cert: pki.cert, key: pki.key }, (_req, res) => (requests++, res.end('ok')));
    const port = await listen(server);
    try {
      expect(await open.post(`https://localhost:${port}/`, body, {})).toMatchObject({ ok: false, error: 'tls' });
      expect(requests).toBe(0);
    } finally {
      await close(server);
    }
  });

  it('classes a server that accepts and never answers as timeout, after WEBHOOK_TIMEOUT_MS', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => void sockets.push(s));
    const port = await listen(server);
    try {
      const r = await open.post(`https://127.0.0.1:${port}/`, body, {});
      expect(r).toMatchObject({ ok: false, error: 'timeout' });
      expect(r.durationMs).toBeGreaterThanOrEqual(350);
      expect(r.durationMs).toBeLessThan(5_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await close(server);
    }
  });
});
