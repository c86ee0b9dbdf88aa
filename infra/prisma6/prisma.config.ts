// Prisma 6.19 CLI config for tools/prisma-offline/diff.ts: `engine: 'js'` selects the WebAssembly schema
// engine, which needs an adapter to exist. It opens a connection (to RIFT_DIFF_DATABASE_URL)
// even for schema-to-schema diffs, but changes nothing there.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaPg({ connectionString: process.env.RIFT_DIFF_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' });
  },
});
