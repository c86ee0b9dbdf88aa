import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chooseMigrator, generateEnv, parseMigratorMode, schemaEngineAvailable } from './engine.js';

describe('which migrator', () => {
  it('reads RIFT_MIGRATOR, auto by default, and refuses anything else', () => {
    expect(parseMigratorMode(undefined)).toBe('auto');
    expect(parseMigratorMode('')).toBe('auto');
    expect(parseMigratorMode('prisma')).toBe('prisma');
    expect(parseMigratorMode('builtin')).toBe('builtin');
    expect(() => parseMigratorMode('Prisma')).toThrow('RIFT_MIGRATOR must be auto, prisma or builtin');
  });

  it('auto takes prisma migrate deploy only where the engine is installed; the others are forced', () => {
    expect(chooseMigrator('auto', true)).toBe('prisma');
    expect(chooseMigrator('auto', false)).toBe('builtin');
    expect(chooseMigrator('prisma', false)).toBe('prisma');
    expect(chooseMigrator('builtin', true)).toBe('builtin');
  });
});

describe('is the schema engine installed', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'rift-engine-'));
    mkdirSync(path.join(root, 'node_modules', '@prisma', 'engines'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('yes when @prisma/engines holds a downloaded schema-engine, no when it holds only its scripts', () => {
    expect(schemaEngineAvailable(root, {})).toBe(false);
    writeFileSync(path.join(root, 'node_modules', '@prisma', 'engines', 'schema-engine-debian-openssl-3.0.x'), '');
    expect(schemaEngineAvailable(root, {})).toBe(true);
  });

  it('PRISMA_SCHEMA_ENGINE_BINARY decides when set: an existing file is the engine, a stand-in or a missing path is not', () => {
    const engine = path.join(root, 'schema-engine');
    writeFileSync(engine, '');
    expect(schemaEngineAvailable(root, { PRISMA_SCHEMA_ENGINE_BINARY: engine })).toBe(true);
    expect(schemaEngineAvailable(root, { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true' })).toBe(false);
    expect(schemaEngineAvailable(root, { PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'missing') })).toBe(false);
  });
});

describe('the environment of prisma generate', () => {
  it('points the CLI at a stand-in only where no engine is installed and the caller chose none', () => {
    expect(generateEnv({ A: '1' }, false, 'linux', '/node')).toEqual({ A: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true' });
    expect(generateEnv({}, false, 'win32', 'C:\\node.exe').PRISMA_SCHEMA_ENGINE_BINARY).toBe('C:\\node.exe');
    expect(generateEnv({}, true, 'linux', '/node').PRISMA_SCHEMA_ENGINE_BINARY).toBeUndefined();
    expect(generateEnv({ PRISMA_SCHEMA_ENGINE_BINARY: '/opt/se' }, false, 'linux', '/node').PRISMA_SCHEMA_ENGINE_BINARY).toBe('/opt/se');
  });
});
