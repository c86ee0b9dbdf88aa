// node bench/profile-summary.mjs <file.cpuprofile> [n]: self time by package and by function, and inclusive time of the service's own functions (dist/). Used for bench/results/dispatcher-throughput-quick.profile.txt.
import fs from 'node:fs';
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const n = Number(process.argv[3] ?? 40);
const nodes = new Map(prof.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const self = new Map();
const dt = prof.timeDeltas;
let total = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const d = dt[i] ?? 0;
  total += d;
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + d);
}
const key = (x) => {
  const f = x.callFrame;
  const url = f.url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\//, 'nm:')
    .replace(/.*\/work\/[^/]+\//, '');
  return `${f.functionName || '(anon)'} ${url}:${f.lineNumber + 1}`;
};
const cat = (x) => {
  const u = x.callFrame.url;
  if (!u) return x.callFrame.functionName.startsWith('(') ? x.callFrame.functionName : 'native';
  const m = u.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (u.startsWith('node:')) return u;
  if (u.includes('/dist/')) return 'rift:' + u.split('/dist/')[1];
  return u;
};
const bySelf = new Map(),
  byCat = new Map(),
  incl = new Map();
for (const [id, t] of self) {
  const x = nodes.get(id);
  bySelf.set(key(x), (bySelf.get(key(x)) ?? 0) + t);
  byCat.set(cat(x), (byCat.get(cat(x)) ?? 0) + t);
  const seen = new Set();
  let cur = id;
  while (cur !== undefined) {
    const k = key(nodes.get(cur));
    if (!seen.has(k)) {
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + t);
    }
    cur = parent.get(cur);
  }
}
const pct = (t) => ((100 * t) / total).toFixed(1).padStart(5) + '%';
console.log(`total ${(total / 1e6).toFixed(1)} s sampled`);
console.log('--- self by category');
for (const [k, t] of [...byCat].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(pct(t), k);
console.log('--- self by function');
for (const [k, t] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(pct(t), k);
console.log('--- inclusive (rift)');
for (const [k, t] of [...incl]
  .filter(([k]) => k.includes(' dist/'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, n))
  console.log(pct(t), k);
