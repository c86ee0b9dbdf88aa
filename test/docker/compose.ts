// docker-compose.yml as Compose itself reads it: Debian's docker-compose (the parser only; no
// engine here) resolves the file with a given .env, and PyYAML (docker-compose's own dependency)
// turns its output into JSON.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface ComposeService {
  environment?: Record<string, string | number | null>;
  ports?: (string | { published?: number | string; host_ip?: string })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string[] | string };
  stop_grace_period?: string;
  restart?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition?: string }>;
  env_file?: string[];
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.cluster.yml'];

/**
 * `docker-compose config` in a scratch project folder holding the compose files and `.env`, with
 * nothing of this process's environment but PATH (a variable set in CI must not leak into the
 * file's `${...}`). Throws Compose's own message when it refuses the file.
 */
export function composeConfig(dotEnv: Record<string, string>, { cluster = false } = {}): ComposeConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'rift-compose-'));
  try {
    for (const f of COMPOSE_FILES) copyFileSync(path.join(repoRoot, f), path.join(dir, f));
    const env = { ...dotEnv, ...(cluster ? { COMPOSE_FILE: COMPOSE_FILES.join(':'), COMPOSE_PROFILES: 'cluster' } : {}) };
    writeFileSync(
      path.join(dir, '.env'),
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    const r = spawnSync('docker-compose', ['config'], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    if (r.error) throw new Error(`docker-compose is not installed (apt-get install docker-compose): ${r.error.message}`);
    if (r.status !== 0) throw new Error(`docker-compose config: ${r.stderr.trim()}`);
    const json = spawnSync('/usr/bin/python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
      input: r.stdout,
      encoding: 'utf8',
    });
    if (json.status !== 0) throw new Error(`reading docker-compose's output: ${json.stderr}`);
    return JSON.parse(json.stdout) as ComposeConfig;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment Compose gives a service's container (env_file merged, `${...}` resolved). */
export function serviceEnvironment(config: ComposeConfig, service = 'rift'): Record<string, string> {
  const env = config.services[service]?.environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]));
}
