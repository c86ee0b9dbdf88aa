// Builds the tenant console (console/) into dist/public/console: one minified script, one
// stylesheet, index.html and the icon. esbuild bundles it in well under a second.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'console');
const out = path.join(root, 'dist', 'public', 'console');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(src, 'src', 'main.tsx')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
await build({ entryPoints: [path.join(src, 'app.css')], outfile: path.join(out, 'app.css'), bundle: true, minify: true, logLevel: 'warning' });
for (const f of ['index.html', 'favicon.svg']) copyFileSync(path.join(src, f), path.join(out, f));
