import { createRequire } from 'node:module';
import { clearLogs, Debug, getLogs } from '@prisma/debug';

// PrismaService empties @prisma/debug's history of recent calls (which holds every query's
// parameters): that only works while the driver adapter logs through the very same module.
describe("Prisma's debug history", () => {
  it('is the one the driver adapter logs its queries to', () => {
    const require = createRequire(import.meta.url);
    const ours = require.resolve('@prisma/debug');
    const utils = createRequire(require.resolve('@prisma/adapter-pg')).resolve('@prisma/driver-adapter-utils');
    expect(createRequire(utils).resolve('@prisma/debug')).toBe(ours);
  });

  it('keeps call arguments while DEBUG is off, until cleared', () => {
    Debug('prisma:driver-adapter:pg')('[js::query_raw] %O', { sql: 'INSERT ...', args: ['evt_kept_in_memory'] });
    expect(getLogs()).toContain('evt_kept_in_memory');
    clearLogs();
    expect(getLogs()).not.toContain('evt_kept_in_memory');
  });
});
