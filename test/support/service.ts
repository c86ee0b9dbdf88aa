import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testPki } from './tls.js';
import { waitFor } from './wait-for.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A topic prefix of its own for one test file, so files never see each other's messages. */
export const uniquePrefix = (name: string) => `t${randomBytes(4).toString('hex')}.${name}`;

/** Environment for a service under test; the caller adds DATABASE_URL and RIFT_TOPIC_PREFIX. */
export function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_EXTRA_CA_CERTS: testPki().caCertPath,
    KAFKA_BROKERS,
    RIFT_SECRET_KEY: 'aa'.repeat(32),
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    KAFKA_TOPIC_PARTITIONS: '3',
    LOG_LEVEL: 'log',
    // Tests and benchmarks drive the API harder than one tenant would; the rate-limit test sets its own.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '0',
    ...extra,
  };
}

/** Every service process still running: killed when the test process exits, even after a failed test. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));

/** The built service (dist/main.js) in a child process of its own, as in production. */
export class ServiceProcess {
  private child?: ChildProcess;
  output = '';
  exitCode: number | null | undefined;
  port = 0;

  /** `nodeArgs`: extra node flags, e.g. --cpu-prof for a benchmark run. */
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly nodeArgs: string[] = [],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start({ waitReady = true } = {}): Promise<this> {
    this.port = Number(this.env.PORT ?? 0) || (await freePort());
    this.exitCode = undefined;
    const child = spawn(process.execPath, [...this.nodeArgs, path.join(ROOT, 'dist', 'main.js')], {
      env: { ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    child.on('exit', () => running.delete(child));
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.on('exit', (code) => (this.exitCode = code));
    if (waitReady) await this.ready();
    return this;
  }

  async ready(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        if (this.exitCode !== undefined) throw new Error(`service exited with ${this.exitCode}:\n${this.output.slice(-2000)}`);
        const r = await fetch(`${this.url}/health/ready`);
        return r.status === 200;
      },
      { timeoutMs, what: 'the service to be ready' },
    );
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || this.exitCode !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  stop(): Promise<void> {
    return this.kill('SIGTERM');
  }
}

/** Runs `rift <args>` (the built CLI) and returns its exit code and outputs. */
export function rift(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli', 'main.js'), ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `rift` without blocking this process (which may be serving a receiver meanwhile). */
export function riftAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli', 'main.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
