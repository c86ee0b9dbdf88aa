// The rehearsal's container (rehearsal.ts): unshare and nsenter in place of a Docker engine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { waitFor } from '../support/wait-for.js';

const IMAGE_UID = 1000; // the `node` user of the official node images

/** Whether nothing listens on the port (on every interface, as the service will). */
export async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
      .once('error', () => resolve(false))
      .listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

/**
 * The image's CMD run as a container would run it, without a Docker engine: as the image's user, as
 * PID 1 of its own PID namespace, in a mount namespace whose /etc/hosts is the given file.
 */
export class Container {
  private proc?: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  pid1 = 0;

  constructor(
    private readonly appDir: string,
    private readonly env: Record<string, string>,
    private readonly hostsFile: string,
  ) {}

  private user(cmd: string[]): string[] {
    const pairs = Object.entries(this.env).map(([k, v]) => `${k}=${v}`);
    return ['setpriv', `--reuid=${IMAGE_UID}`, `--regid=${IMAGE_UID}`, '--clear-groups', 'env', '-i', ...pairs, ...cmd];
  }

  async start(cmd: string[], logFile: string): Promise<void> {
    const inner = 'mount --bind "$0" /etc/hosts && cd "$1" && shift && exec "$@"';
    const args = ['--mount', '--pid', '--fork', '--kill-child', '--', 'sh', '-c', inner, this.hostsFile, this.appDir, ...this.user(cmd)];
    const log = createWriteStream(logFile);
    this.proc = spawn('unshare', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.pipe(log);
    this.proc.stderr!.pipe(log);
    this.proc.once('exit', (code, signal) => (this.exit = { code, signal, at: Date.now() }));
    const unsharePid = this.proc.pid!;
    this.pid1 = await waitFor(
      () => {
        const children = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim();
        return children ? Number(children.split(' ')[0]) : undefined;
      },
      { what: 'the container process' },
    );
  }

  /** `docker compose exec rift <cmd>`: same namespaces, user, folder and environment. */
  exec(cmd: string[]): { status: number | null; stdout: string; stderr: string } {
    const args = ['--target', String(this.pid1), '--mount', '--pid', '--', 'sh', '-c', 'cd "$0" && exec "$@"', this.appDir, ...this.user(cmd)];
    return spawnSync('nsenter', args, { encoding: 'utf8', timeout: 60_000 });
  }

  /** NSpid of /proc/<pid>/status: the process's pid in each namespace, outermost first. */
  namespacePid(): string {
    return (
      /NSpid:\s*(.*)/
        .exec(readFileSync(`/proc/${this.pid1}/status`, 'utf8'))?.[1]
        .trim()
        .split(/\s+/)
        .at(-1) ?? '?'
    );
  }

  kill(signal: NodeJS.Signals): void {
    if (this.pid1 && !this.exit) process.kill(this.pid1, signal);
  }
}
