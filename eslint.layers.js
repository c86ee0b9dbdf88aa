/**
 * The layering of src/, as data: each folder, the folders it may import, and the files it offers to
 * other folders (its public surface; everything else is internal). eslint.config.js turns this into
 * import rules, and src/layers.spec.ts checks that the graph has no cycle, so a folder can never
 * import one that imports it back.
 *
 * Read from the bottom up: config and common know nothing of the pipeline; contracts/ holds the wire
 * types both sides of a topic import; kafka, prisma and ops are infrastructure; the features sit on
 * top, each importing only features listed before it; cli and the root (main.ts, app.module.ts)
 * compose everything.
 */
const INFRA = ['common', 'config', 'contracts', 'kafka', 'prisma', 'ops', 'generated'];

/** @type {Record<string, { deps: string[]; public: string[] | '*' }>} */
export const LAYERS = {
  config: { deps: [], public: ['config', 'config.module', 'env.schema'] },
  common: { deps: ['config'], public: '*' },
  contracts: { deps: ['common'], public: '*' },
  generated: { deps: [], public: ['prisma/client'] },
  prisma: { deps: ['config', 'common', 'generated'], public: ['prisma.module', 'prisma.service', 'pg-errors', 'db-batch-writer'] },
  kafka: { deps: ['common', 'config', 'contracts'], public: '*' },
  ops: { deps: ['common', 'config', 'contracts', 'kafka', 'prisma'], public: ['metrics', 'consumer-lag', 'logging', 'ops.module'] },
  'rate-limit': { deps: ['common', 'config'], public: ['rate-limit.module', 'auth-failure-limiter'] },
  tenants: { deps: ['common', 'config', 'prisma', 'rate-limit'], public: ['tenants.module', 'tenants.service', 'auth.guard', 'tenant-api.decorator'] },
  'endpoint-health': { deps: [...INFRA], public: ['endpoint-health', 'operational-events'] },
  webhooks: {
    deps: [...INFRA, 'tenants', 'endpoint-health'],
    public: ['webhooks.module', 'webhook-lookup', 'webhook-directory', 'secret-rotation', 'secret-format'],
  },
  events: {
    deps: [...INFRA, 'tenants'],
    public: ['events.module', 'event-publisher', 'event-schema', 'event-store', 'input-message', 'input-guards', 'dto/event-data.dto'],
  },
  'attempt-log': { deps: [...INFRA, 'tenants', 'webhooks', 'endpoint-health'], public: ['attempt-log.module', 'attempt-log-writer'] },
  delivery: {
    deps: [...INFRA, 'tenants', 'webhooks', 'events', 'endpoint-health', 'attempt-log'],
    public: ['delivery.module', 'dead-letters', 'manual-deliveries'],
  },
  recover: { deps: [...INFRA, 'tenants', 'webhooks', 'events', 'delivery'], public: ['recover.module', 'recover.service'] },
  contract: { deps: [...INFRA, 'events'], public: ['contract.module', 'asyncapi', 'data-schemas', 'pipeline-schemas'] },
  console: { deps: [...INFRA, 'tenants'], public: ['console.module'] },
  cli: { deps: [...INFRA, 'tenants', 'webhooks', 'events', 'delivery', 'recover', 'endpoint-health', 'attempt-log'], public: [] },
};
