// Writes docs/asyncapi.json and docs/schemas/<type>.json from the validating classes (the default
// configuration). `npm run contract`; contract.spec.ts fails while the committed files differ.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAsyncApi, defaultContractConfig } from '../src/contract/asyncapi.js';
import { dataSchemas } from '../src/contract/data-schemas.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(path.join(root, 'docs', 'schemas'), { recursive: true });
const write = (file: string, value: unknown) => {
  writeFileSync(path.join(root, file), `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote ${file}`);
};
write('docs/asyncapi.json', buildAsyncApi(defaultContractConfig()));
for (const [type, schema] of Object.entries(dataSchemas())) write(`docs/schemas/${type}.json`, schema);
