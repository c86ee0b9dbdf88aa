import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diffArgs, migrationDirName, toPrisma6Schema, writeMigration } from './diff.js';
import { parseCommand } from './main.js';
import { findRoot, root, schemaPath } from './paths.js';

describe('the schema as Prisma 6 reads it', () => {
  const schema = readFileSync(schemaPath, 'utf8');
  const six = toPrisma6Schema(schema);

  it('drops the Prisma 7 generator and gives the datasource the url Prisma 6 requires', () => {
    expect(schema).toMatch(/generator\s+client\s*\{/);
    expect(six).not.toMatch(/generator\s+\w+\s*\{/);
    expect(six).toMatch(/datasource\s+\w+\s*\{[^}]*provider\s*=\s*"postgresql"\n {2}url = env\("DATABASE_URL"\)[^}]*\}/);
  });

  it('leaves every model as it was', () => {
    const models = (s: string) => s.match(/model\s+\w+\s*\{[^}]*\}/g);
    expect(models(six)).toEqual(models(schema));
    expect(models(six)!.length).toBeGreaterThan(5);
  });
});

describe('prisma migrate diff', () => {
  it('diffs from nothing or from a schema file, always as a script', () => {
    expect(diffArgs('c.ts', 'to.prisma', null)).toEqual([
      'migrate',
      'diff',
      '--config',
      'c.ts',
      '--to-schema-datamodel',
      'to.prisma',
      '--script',
      '--from-empty',
    ]);
    expect(diffArgs('c.ts', 'to.prisma', 'from.prisma').slice(-2)).toEqual(['--from-schema-datamodel', 'from.prisma']);
  });
});

describe('a new migration directory', () => {
  it('is named <UTC yyyymmddhhmmss>_<name>, zero-padded, so that it sorts after the existing ones', () => {
    expect(migrationDirName(new Date('2027-03-04T05:06:07.890Z'), 'add_events')).toBe('20270304050607_add_events');
    expect(migrationDirName(new Date(), 'x') > '20261126234500_endpoint_health_and_rotation').toBe(true);
  });

  it('refuses names Prisma would not write (spaces, capitals, path separators)', () => {
    for (const bad of ['Add events', '../x', 'a-b', '']) expect(() => migrationDirName(new Date(), bad)).toThrow('migration name must be');
  });

  it('is written once: an existing directory is not overwritten', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rift-newmig-'));
    try {
      const file = writeMigration(dir, '20270101000000_a', 'SELECT 1;\n');
      expect(readFileSync(file, 'utf8')).toBe('SELECT 1;\n');
      expect(() => writeMigration(dir, '20270101000000_a', 'SELECT 2;\n')).toThrow('exists already');
      expect(readFileSync(file, 'utf8')).toBe('SELECT 1;\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the command line', () => {
  it('knows migrate, generate and diff with its two options, and nothing else', () => {
    expect(parseCommand(['migrate'])).toEqual({ cmd: 'migrate' });
    expect(parseCommand(['generate'])).toEqual({ cmd: 'generate' });
    expect(parseCommand(['diff'])).toEqual({ cmd: 'diff', fromEmpty: false, name: undefined });
    expect(parseCommand(['diff', '--from-empty', '--name', 'add_x'])).toEqual({ cmd: 'diff', fromEmpty: true, name: 'add_x' });
    expect(() => parseCommand([])).toThrow('usage:');
    expect(() => parseCommand(['migrate', '--force'])).toThrow('usage:');
    expect(() => parseCommand(['diff', '--name'])).toThrow();
    expect(() => parseCommand(['diff', '--to', 'x'])).toThrow();
  });
});

describe('the project root', () => {
  it('is the directory with package.json, from here and from where the build puts the compiled files', () => {
    expect(existsSync(path.join(root, 'package.json'))).toBe(true);
    expect(findRoot(path.join(root, 'dist', 'tools', 'prisma-offline'))).toBe(root);
    expect(() => findRoot('/')).toThrow('no package.json');
  });
});
