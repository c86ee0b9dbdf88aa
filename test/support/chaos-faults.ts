import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './service.js';

/**
 * The chaos suite's faults (test/chaos.chaos-spec.ts): the receivers' scripted failures, and stopping
 * and starting this machine's PostgreSQL cluster and Kafka broker.
 */

/** Failed attempts the receiver answers before a 200, by event id: 4% never succeed (DLQ), 12% need the tiers. */
export function failuresFor(eventId: string): number {
  const h = parseInt(eventId.slice(-6), 16) % 25;
  return h === 0 ? Infinity : h <= 3 ? h : 0;
}

export function pgCluster(action: 'stop' | 'start'): void {
  const version = spawnSync('bash', ['-c', 'ls /etc/postgresql | sort -V | tail -1'], { encoding: 'utf8' }).stdout.trim();
  const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_ctlcluster ${action}: ${r.stderr}`);
}

/** The single-node broker, through scripts/kafka.sh (stop is a controlled shutdown). */
export function kafkaBroker(action: 'stop' | 'start'): void {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'kafka.sh'), action], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kafka.sh ${action}: ${r.stderr}`);
}
