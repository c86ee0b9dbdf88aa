/**
 * Three tiers: unit specs beside the code (src/ and tools/, *.spec.ts); store specs (test/*.store-spec.ts)
 * that run the stores' SQL in a Nest TestingModule against a real PostgreSQL database of their own,
 * without a service process or Kafka; and end-to-end tests (test/*.e2e-spec.ts) against the real
 * Kafka broker, a real PostgreSQL and a real HTTPS receiver, run one file at a time. The cluster
 * suite (test/*.cluster-spec.ts) runs only from npm run test:cluster.
 * TypeScript runs as native ESM (NestJS 12 is ESM-only): `node --experimental-vm-modules`.
 */
const ts = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 180_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  projects: [
    { ...ts, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'] },
    { ...ts, displayName: 'store', testMatch: ['<rootDir>/test/**/*.store-spec.ts'] },
    { ...ts, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    { ...ts, displayName: 'chaos', testMatch: ['<rootDir>/test/**/*.chaos-spec.ts'] },
    // Only against a 3-node cluster (npm run test:cluster sets RIFT_CLUSTER_TESTS), never in `npm test`.
    ...(process.env.RIFT_CLUSTER_TESTS ? [{ ...ts, displayName: 'cluster', testMatch: ['<rootDir>/test/**/*.cluster-spec.ts'] }] : []),
  ],
};
