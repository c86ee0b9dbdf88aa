import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testPki } from './tls.js';

export interface ReceivedRequest {
  path: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes, exactly as received. */
  body: Buffer;
  at: number;
}

/** What to answer: a status (default 200), headers, a body (default {"ok":true}), or hang until the client gives up. */
export type Script = (
  req: ReceivedRequest,
  nth: number,
) => { status?: number; hang?: boolean; delayMs?: number; headers?: Record<string, string>; body?: string } | undefined;

/**
 * A local HTTPS receiver (certificate from the test CA) that records every request's headers and
 * raw body. Each path has its own scripted answers; unscripted paths answer 200.
 */
export class Receiver {
  private server?: Server;
  readonly requests: ReceivedRequest[] = [];
  private readonly scripts = new Map<string, Script>();
  private readonly counts = new Map<string, number>();
  private readonly hanging = new Set<{ destroy(): void }>();

  async start(): Promise<this> {
    const pki = testPki();
    this.server = createServer({ cert: pki.cert, key: pki.key, keepAlive: true }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const r: ReceivedRequest = { path, method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
        this.requests.push(r);
        const nth = (this.counts.get(path) ?? 0) + 1;
        this.counts.set(path, nth);
        const answer = this.scripts.get(path)?.(r, nth) ?? {};
        if (answer.hang) {
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          return;
        }
        const send = () => {
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
          res.end(answer.body ?? '{"ok":true}');
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** https://localhost:<port><path> */
  url(path: string): string {
    return `https://localhost:${this.port}${path}`;
  }

  script(path: string, s: Script): void {
    this.scripts.set(path, s);
  }

  on(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.hanging.forEach((r) => r.destroy());
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
