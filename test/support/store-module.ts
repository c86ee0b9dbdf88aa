import { CryptoModule } from '../../src/common/crypto.module.js';
import type { Provider } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { PrismaModule } from '../../src/prisma/prisma.module.js';
import { PrismaService } from '../../src/prisma/prisma.service.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface StoreHarness {
  module: TestingModule;
  db: TestDatabase;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * The store tier: the given providers in a Nest TestingModule with the real PrismaService, against
 * a migrated database of this test file's own (no service process, no Kafka). `db.query` seeds and
 * inspects rows with plain SQL beside the code under test.
 */
export async function storeHarness(providers: Provider[], env: Record<string, string> = {}): Promise<StoreHarness> {
  const db = await createTestDatabase();
  const config = loadConfig({ RIFT_SECRET_KEY: 'ab'.repeat(32), DATABASE_URL: db.url, ...env });
  const module = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), CryptoModule, PrismaModule], providers }).compile();
  await module.init();
  await module.get(PrismaService).waitUntilUp();
  return {
    module,
    db,
    config,
    async close() {
      await module.close();
      await db.drop();
    },
  };
}

/** Inserts a tenant row and returns its id. */
export async function seedTenant(db: TestDatabase, id: string, name = 'store test'): Promise<string> {
  await db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [id, name]);
  return id;
}
