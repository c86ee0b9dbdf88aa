#!/usr/bin/env node
// Validates an AsyncAPI document with the official parser (@asyncapi/parser: the spec's JSON Schema
// and its semantic rules). `node scripts/check-asyncapi.mjs [file]`, default docs/asyncapi.json.
// Exits 1 on any error diagnostic, and prints warnings.
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'docs/asyncapi.json';
const { document, diagnostics } = await new Parser().parse(readFileSync(file, 'utf8'));
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
for (const d of diagnostics) {
  const level = d.severity === DiagnosticSeverity.Error ? 'error' : d.severity === DiagnosticSeverity.Warning ? 'warning' : 'info';
  if (level !== 'info') console.error(`${level}: ${d.message} at ${d.path.join('.')}`);
}
if (!document || errors.length > 0) {
  console.error(`${file}: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(
  `${file}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.operations().length} operations, ${diagnostics.length - errors.length} non-error diagnostic(s)`,
);
