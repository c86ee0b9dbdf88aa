import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
// eslint.layers.js is plain ESM beside eslint.config.js, which turns it into import rules.
import { LAYERS } from '../eslint.layers.js';

/**
 * The folder graph of eslint.layers.js must stay acyclic (the lint rules enforce only what it lists,
 * so a cycle here would let two folders import each other), and must name every folder of src/.
 */
describe('layering (eslint.layers.js)', () => {
  const layers = LAYERS as Record<string, { deps: string[] }>;

  it('lists every folder of src/ and only those', () => {
    const folders = readdirSync(new URL('.', import.meta.url)).filter((f) => statSync(join(new URL('.', import.meta.url).pathname, f)).isDirectory());
    expect(Object.keys(layers).sort()).toEqual(folders.sort());
  });

  it('has no cycle: no folder can reach itself through the folders it may import', () => {
    const reach = (from: string, seen = new Set<string>()): Set<string> => {
      for (const d of layers[from]!.deps) {
        if (seen.has(d)) continue;
        seen.add(d);
        reach(d, seen);
      }
      return seen;
    };
    for (const folder of Object.keys(layers)) expect([folder, reach(folder).has(folder)]).toEqual([folder, false]);
    for (const folder of Object.keys(layers)) for (const d of layers[folder]!.deps) expect(Object.keys(layers)).toContain(d);
  });
});
