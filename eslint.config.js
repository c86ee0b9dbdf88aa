import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { LAYERS } from './eslint.layers.js';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The layering of eslint.layers.js as import rules, one block per folder of src/: a folder may import
 * only the folders it lists, and of those only their public files.
 */
function layerRules() {
  const folders = Object.keys(LAYERS);
  return folders.map((folder) => {
    const { deps } = LAYERS[folder];
    const forbidden = folders.filter((f) => f !== folder && !deps.includes(f));
    const patterns = [];
    if (forbidden.length > 0) {
      patterns.push({
        regex: `^(\\.\\./)+(${forbidden.map(escape).join('|')})/`,
        message: `src/${folder} may not import this folder (eslint.layers.js lists what it may import: ${deps.join(', ') || 'nothing'}).`,
      });
    }
    for (const dep of deps) {
      const surface = LAYERS[dep].public;
      if (surface === '*') continue;
      patterns.push({
        regex: `^(\\.\\./)+${escape(dep)}/(?!(${surface.map(escape).join('|')})\\.js$)`,
        message: `this file is internal to src/${dep}; its public files are: ${surface.join(', ')} (eslint.layers.js).`,
      });
    }
    return { files: [`src/${folder}/**/*.ts`], ignores: ['**/*.spec.ts'], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'coverage/**', 'console/dist/**', 'infra/prisma6/**', '.tmp/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      // A promise nobody awaits loses its error and, in a consumer, its offset's guarantee.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-duplicates': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  ...layerRules(),
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  prettier,
);
