import type { Admin } from 'kafkajs';
import type { KafkaAdmin } from './kafka-admin.js';
import { KafkaHealth } from './kafka-health.js';

/** A KafkaAdmin whose connections answer (or fail) as scripted, counting connects and resets. */
function admins(answers: boolean[]) {
  const log: string[] = [];
  let connection = 0;
  let current: Admin | undefined;
  const admin = {
    async get() {
      if (!current) {
        const n = ++connection;
        log.push(`connect ${n}`);
        current = {
          describeCluster: async () => (answers[n - 1] ? { brokers: [] } : Promise.reject(new Error(`connection ${n}: ECONNREFUSED`))),
        } as unknown as Admin;
      }
      return current;
    },
    async reset() {
      log.push('reset');
      current = undefined;
    },
  };
  return { admin: admin as unknown as KafkaAdmin, log };
}

describe('KafkaHealth', () => {
  it('keeps a connection that answers', async () => {
    const { admin, log } = admins([true]);
    const health = new KafkaHealth(admin);
    await health.ping();
    await health.ping();
    expect(log).toEqual(['connect 1']);
  });

  it('drops a connection that failed, so the next ping connects afresh (to another broker)', async () => {
    const { admin, log } = admins([false, true]);
    const health = new KafkaHealth(admin);
    await expect(health.ping()).rejects.toThrow('connection 1: ECONNREFUSED');
    await health.ping();
    expect(log).toEqual(['connect 1', 'reset', 'connect 2']);
  });
});
