// Builds a Dockerfile's stages without a container engine, by following its instructions: COPY from
// the build context (minus .dockerignore) or from an earlier stage, RUN with sh in the stage's
// folder. Used by the rehearsal (rehearsal.ts) because CI has no Docker engine. Instructions it does
// not know stop it, so that a changed Dockerfile cannot silently drift from what CI rehearses.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Instruction {
  op: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** What the final stage declares about the container. */
export interface ImageConfig {
  workdir: string;
  env: Record<string, string>;
  user?: string;
  cmd: string[];
  healthcheck?: string[];
  expose: string[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let logical = lines[i];
    while (logical.trimEnd().endsWith('\\') && i + 1 < lines.length) logical = logical.trimEnd().slice(0, -1) + ' ' + lines[++i];
    const trimmed = logical.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(trimmed)!;
    const ins = { op: op.toUpperCase(), args: args.trim(), line: start };
    if (ins.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m) throw new Error(`Dockerfile:${start}: cannot read FROM ${ins.args}`);
      stages.push({ name: m[2] ?? String(stages.length), from: m[1], instructions: [] });
    } else {
      if (!stages.length) throw new Error(`Dockerfile:${start}: ${ins.op} before FROM`);
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return stages;
}

/** Exec form (a JSON array) only: the shell form would put a shell in front of the command. */
function execForm(args: string, what: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`${what} must be in exec (JSON) form`);
  return parsed;
}

/** .dockerignore as predicates on context-relative paths (`*` within a segment, `!` re-includes). */
export function dockerignore(contextDir: string): (rel: string) => boolean {
  const file = path.join(contextDir, '.dockerignore');
  const rules = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
    : [];
  const compiled = rules.map((r) => {
    const negate = r.startsWith('!');
    const pattern = (negate ? r.slice(1) : r).replace(/^\/+|\/+$/g, '');
    const re = new RegExp(
      '^' +
        pattern
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*') +
        '(/.*)?$',
    );
    return { negate, re };
  });
  return (rel) => {
    let ignored = false;
    for (const r of compiled) if (r.re.test(rel)) ignored = !r.negate;
    return ignored;
  };
}

export interface BuildOptions {
  contextDir: string;
  /** Folder of each stage already built (a stage named here is not built again). */
  stageDirs: Record<string, string>;
  /** Environment of RUN instructions (PATH decides which node and npm run them). */
  runEnv: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
}

/** Builds one stage into `outDir` (which stands for its WORKDIR); returns what it declares. */
export function buildStage(stage: Stage, outDir: string, opts: BuildOptions): ImageConfig {
  const ignored = dockerignore(opts.contextDir);
  const image: ImageConfig = { workdir: '/', env: {}, cmd: [], expose: [] };
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  let workdirs = 0;
  for (const ins of stage.instructions) {
    const where = `Dockerfile:${ins.line} ${ins.op}`;
    switch (ins.op) {
      case 'WORKDIR':
        if (++workdirs > 1 || !ins.args.startsWith('/')) throw new Error(`${where}: one absolute WORKDIR per stage is all the rehearsal follows`);
        image.workdir = ins.args;
        break;
      case 'ENV': {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/.exec(ins.args);
        if (!m) throw new Error(`${where}: write ENV as KEY=value`);
        image.env[m[1]] = m[2];
        break;
      }
      case 'COPY':
        copy(ins, where, image.workdir, outDir, opts, ignored);
        break;
      case 'RUN':
        opts.log?.(`${stage.name}: RUN ${ins.args}`);
        execFileSync('sh', ['-c', ins.args], { cwd: outDir, env: { ...opts.runEnv, ...image.env }, stdio: ['ignore', 2, 2] });
        break;
      case 'USER':
        image.user = ins.args;
        break;
      case 'EXPOSE':
        image.expose.push(...ins.args.split(/\s+/));
        break;
      case 'CMD':
        image.cmd = execForm(ins.args, where);
        break;
      case 'HEALTHCHECK': {
        const m = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/.exec(ins.args);
        if (!m) throw new Error(`${where}: HEALTHCHECK [options] CMD [exec form] is all the rehearsal follows`);
        image.healthcheck = execForm(m[1], where);
        break;
      }
      default:
        throw new Error(`${where}: not followed by the rehearsal (teach test/docker/dockerfile.ts)`);
    }
  }
  return image;
}

function copy(ins: Instruction, where: string, workdir: string, outDir: string, opts: BuildOptions, ignored: (rel: string) => boolean): void {
  const words = ins.args.split(/\s+/);
  const from = words[0].startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
  if (words.some((w) => w.startsWith('--'))) throw new Error(`${where}: only --from is followed`);
  const dest = words.pop()!;
  if (!words.length) throw new Error(`${where}: nothing to copy`);
  const destPath = path.resolve(outDir, path.relative(workdir, path.resolve(workdir, dest)));
  const intoDir = dest.endsWith('/') || words.length > 1;
  for (const src of words) {
    let srcPath: string;
    let filter: ((p: string) => boolean) | undefined;
    if (from !== undefined) {
      const base = opts.stageDirs[from];
      if (!base) throw new Error(`${where}: stage ${from} has not been built`);
      // Paths in another stage are absolute in its file system; its WORKDIR is /app by convention.
      srcPath = path.join(base, path.relative('/app', path.resolve('/app', src)));
    } else {
      srcPath = path.resolve(opts.contextDir, src);
      filter = (p) => !ignored(path.relative(opts.contextDir, p));
      if (ignored(path.relative(opts.contextDir, srcPath))) throw new Error(`${where}: ${src} is excluded by .dockerignore`);
    }
    if (!existsSync(srcPath)) throw new Error(`${where}: ${src} does not exist`);
    const target = statSync(srcPath).isDirectory() || !intoDir ? destPath : path.join(destPath, path.basename(srcPath));
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(srcPath, target, { recursive: true, filter, verbatimSymlinks: true });
  }
}
