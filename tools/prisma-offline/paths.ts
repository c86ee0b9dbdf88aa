// Where the project's Prisma files are. The same modules run from tools/prisma-offline/ (through tsx)
// and compiled from dist/tools/prisma-offline/ (the image), so the root is found by walking up to
// package.json rather than by counting directories.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory at or above `from` that holds a package.json. */
export function findRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json at or above ${from}`);
  }
}

export const root = findRoot();
export const migrationsDir = path.join(root, 'prisma', 'migrations');
export const schemaPath = path.join(root, 'prisma', 'schema.prisma');
