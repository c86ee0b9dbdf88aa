// The Docker path rehearsed without a Docker engine (CI has none). `node --import tsx
// test/docker/rehearsal.ts` (scripts/docker-check.sh), as root:
//  1. builds the image's final stage into $TMPDIR/rift-docker-rehearsal/ by following the Dockerfile line
//     by line (dockerfile.ts): its stages' COPY and RUN, production dependencies only;
//  2. reads the environment docker-compose.yml gives `rift`, through Compose's own parser, with a
//     .env as the README has users write it;
//  3. runs the image's CMD with that environment and nothing else (plus the image's ENV and PATH),
//     as the image's user (uid 1000), as PID 1 of a PID namespace of its own, in a mount
//     namespace whose /etc/hosts maps Compose's service names (kafka, postgres) to this machine,
//     where Kafka and PostgreSQL run: the values of the environment stay exactly Compose's;
//  4. smoke test: the image's HEALTHCHECK passes, a tenant is created the README's way (`exec`),
//     a webhook is registered, one event published through the CLI is delivered and its signature
//     verifies; then SIGTERM, as `docker compose stop` sends it, drains and stops the service.
// What it cannot show: the base image itself, Docker's networking and port publishing.
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { freshDatabase } from '../support/database.js';
import { Receiver } from '../support/receiver.js';
import { testPki } from '../support/tls.js';
import { waitFor } from '../support/wait-for.js';
import { composeConfig, repoRoot, serviceEnvironment } from './compose.js';
import { Container, portFree } from './container.js';
import { buildStage, parseDockerfile, type ImageConfig } from './dockerfile.js';

// Outside the repository: jest would otherwise find a second package.json in it.
const work = path.join(tmpdir(), 'rift-docker-rehearsal');
const nodeDir = path.dirname(process.execPath);
const say = (m: string) => console.error(`[rehearsal] ${m}`);

/** Builds every stage the final one copies from (in order), then the final stage. */
function buildImage(): { appDir: string; image: ImageConfig } {
  const stages = parseDockerfile(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'));
  // The build machine's own npm settings that another Node's npm would not find (its global npmrc is
  // under its own prefix): the CA file, where a registry is reached through a TLS-inspecting proxy.
  const cafile = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).stdout?.trim();
  const runEnv = {
    PATH: `${nodeDir}:/usr/local/bin:/usr/bin:/bin`,
    HOME: process.env.HOME,
    npm_config_update_notifier: 'false',
    ...(cafile && cafile !== 'null' && cafile !== 'undefined' ? { npm_config_cafile: cafile } : {}),
  };
  const stageDirs: Record<string, string> = {};
  let image: ImageConfig | undefined;
  for (const [i, stage] of stages.entries()) {
    const dir = path.join(work, i === stages.length - 1 ? 'app' : `stage-${stage.name}`);
    const started = Date.now();
    image = buildStage(stage, dir, { contextDir: repoRoot, stageDirs, runEnv, log: say });
    stageDirs[stage.name] = dir;
    say(`stage ${stage.name} (FROM ${stage.from}) built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return { appDir: stageDirs[stages.at(-1)!.name], image: image! };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root: the rehearsal makes mount and PID namespaces (unshare)');
  mkdirSync(work, { recursive: true });
  say(`node ${process.version} (${process.execPath})`);

  const { appDir, image } = buildImage();
  if (image.user !== 'node') throw new Error(`the image must run as the node user, not ${image.user ?? 'root'}`);

  // The .env of README "With Docker", plus what a local HTTPS receiver needs (its test CA and
  // loopback targets); its own database and topic prefix keep the rehearsal off others' data.
  const pki = testPki();
  const run = randomBytes(4).toString('hex');
  const dotEnv = {
    RIFT_SECRET_KEY: randomBytes(32).toString('hex'),
    POSTGRES_DB: `rift_rehearsal_${run}`,
    RIFT_TOPIC_PREFIX: `t${run}`, // `t<8 hex>.`: scripts/kafka-clean.mjs removes leftovers
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    NODE_EXTRA_CA_CERTS: pki.caCertPath,
  };
  const compose = composeConfig(dotEnv);
  const composeEnv = serviceEnvironment(compose);
  const env = { PATH: `${nodeDir}:/usr/local/bin:/usr/bin:/bin`, HOME: '/home/node', ...image.env, ...composeEnv };
  say(`compose environment of rift: ${Object.keys(composeEnv).sort().join(', ')}`);
  // The service listens on this machine's network with compose's PORT and OPS_PORT.
  const apiPort = Number(composeEnv.PORT);
  for (const port of [composeEnv.PORT, composeEnv.OPS_PORT].filter(Boolean).map(Number)) {
    if (!(await portFree(port))) throw new Error(`port ${port} is taken; the rehearsal runs the service on compose's ports`);
  }

  const hostsFile = path.join(work, 'hosts');
  const names = Object.keys(compose.services).join(' ');
  writeFileSync(hostsFile, `${readFileSync('/etc/hosts', 'utf8')}\n127.0.0.1 ${names}\n`);

  // What the postgres container does on first start (POSTGRES_DB): an empty database.
  await freshDatabase(dotEnv.POSTGRES_DB, { migrate: false });
  const receiver = await new Receiver().start();
  const container = new Container(appDir, env, hostsFile);
  const logFile = path.join(work, 'service.log');
  try {
    const started = Date.now();
    await container.start(image.cmd, logFile);
    say(`CMD ${JSON.stringify(image.cmd)} runs as pid ${container.namespacePid()} of its namespace`);
    if (container.namespacePid() !== '1') throw new Error('the CMD is not PID 1 of its namespace');

    await waitFor(
      () => {
        if (container.exit) throw new Error(`the service exited (${container.exit.code ?? container.exit.signal})`);
        return container.exec(image.healthcheck!).status === 0;
      },
      { timeoutMs: 120_000, intervalMs: 1000, what: 'the HEALTHCHECK to pass' },
    );
    say(`healthy (HEALTHCHECK ${JSON.stringify(image.healthcheck)}) after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const created = container.exec(['node', 'dist/cli/main.js', 'tenant', 'create', '--name', 'rehearsal']);
    if (created.status !== 0) throw new Error(`tenant create: ${created.stderr}`);
    const tenant = JSON.parse(created.stdout) as { tenant_id: string; api_key: string };

    const res = await fetch(`http://127.0.0.1:${apiPort}/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url('/rehearsal'), events: ['click'] }),
    });
    if (res.status !== 201) throw new Error(`POST /v1/webhooks: ${res.status} ${await res.text()}`);
    const webhook = (await res.json()) as { secret: string };

    const published = container.exec([
      'node',
      'dist/cli/main.js',
      'publish',
      'click',
      '--tenant',
      tenant.tenant_id,
      '--link',
      'rehearsal',
      '--platform',
      'ios',
    ]);
    if (published.status !== 0) throw new Error(`publish: ${published.stderr}`);
    const [delivery] = await waitFor(() => (receiver.on('/rehearsal').length ? receiver.on('/rehearsal') : undefined), {
      timeoutMs: 60_000,
      what: 'the delivery',
    });
    const expected = createHmac('sha256', webhook.secret).update(delivery.body).digest('hex');
    if (delivery.headers['x-rift-signature'] !== expected) throw new Error('the delivery signature does not verify');
    if (JSON.parse(delivery.body.toString()).event !== 'click') throw new Error('the delivery is not the click event');
    say(`delivered: one click event, X-Rift-Signature verified (${delivery.body.length} bytes)`);

    const stopAt = Date.now();
    container.kill('SIGTERM');
    const gracePeriodMs = 1000 * Number.parseInt(compose.services.rift.stop_grace_period ?? '10', 10);
    await waitFor(() => container.exit, {
      timeoutMs: gracePeriodMs,
      intervalMs: 100,
      what: `the service to stop within the stop grace period (${gracePeriodMs / 1000} s)`,
    });
    const log = readFileSync(logFile, 'utf8');
    if (!log.includes('dispatcher stopped')) throw new Error('SIGTERM did not drain the dispatcher');
    say(`SIGTERM: drained and stopped in ${((container.exit!.at - stopAt) / 1000).toFixed(1)} s (exit ${container.exit!.code})`);
  } catch (err) {
    console.error(readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
    throw err;
  } finally {
    container.kill('SIGKILL');
    await receiver.stop();
    await cleanup(dotEnv.POSTGRES_DB, dotEnv.RIFT_TOPIC_PREFIX);
  }
}

async function cleanup(database: string, prefix: string): Promise<void> {
  const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  const kafka = new kafkajs.Kafka({ clientId: 'rift-rehearsal', brokers: ['127.0.0.1:9092'], logLevel: kafkajs.logLevel.NOTHING });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  const topics = (await kafkaAdmin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
  if (topics.length) await kafkaAdmin.deleteTopics({ topics });
  await kafkaAdmin.disconnect();
}

main().then(
  () => {
    // The stages hold three node_modules; keep only the service's log of a passing run.
    for (const entry of readdirSync(work)) if (entry !== 'service.log') rmSync(path.join(work, entry), { recursive: true, force: true });
    say('passed');
  },
  (err: Error) => {
    say(`FAILED: ${err.message}`);
    process.exit(1);
  },
);
