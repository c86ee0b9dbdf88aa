// `npm run kafka:status [-- --json] [-- --topics <prefix>]` (called by scripts/kafka.sh with the
// nodes in KAFKA_STATUS_NODES): every node up or down, the active controller, and per topic each
// partition's leader and in-sync replicas. Exits 1 when no node is up.
//
// The active controller is the KRaft quorum leader. Kafka's Metadata response does not name it (in
// KRaft it reports some live broker as "controller"), so it is read where Kafka itself records it:
// each node's quorum-state file (<data>/__cluster_metadata-0/quorum-state, JSON with leaderId and
// leaderEpoch, rewritten at every election); the live nodes' highest epoch names the leader.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const nodes = JSON.parse(process.env.KAFKA_STATUS_NODES ?? '[]');
const json = process.env.KAFKA_STATUS_JSON === 'yes';
const prefix = process.env.KAFKA_STATUS_TOPICS ?? '';

const portOpen = (port) =>
  new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, timeout: 1000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });

function quorumState(data) {
  try {
    return JSON.parse(readFileSync(`${data}/__cluster_metadata-0/quorum-state`, 'utf8'));
  } catch {
    return undefined;
  }
}

for (const n of nodes) n.up = n.pid !== null && (await portOpen(n.port));
const up = nodes.filter((n) => n.up);
let controller = null;
let epoch = -1;
for (const n of up) {
  const q = quorumState(n.data);
  if (q && q.leaderId >= 0 && q.leaderEpoch > epoch && up.some((u) => u.id === q.leaderId)) {
    controller = q.leaderId;
    epoch = q.leaderEpoch;
  }
}

let topics = [];
let error;
if (up.length > 0) {
  const kafka = new Kafka({ clientId: 'rift-kafka-status', brokers: up.map((n) => `127.0.0.1:${n.port}`), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const names = (await admin.listTopics()).filter((t) => t.startsWith(prefix) && !t.startsWith('__')).sort();
    if (names.length > 0) {
      const meta = await admin.fetchTopicMetadata({ topics: names });
      topics = meta.topics
        .map((t) => ({
          topic: t.name,
          partitions: t.partitions
            .map((p) => ({ partition: p.partitionId, leader: p.leader >= 0 ? p.leader : null, replicas: p.replicas, isr: p.isr }))
            .sort((a, b) => a.partition - b.partition),
        }))
        .sort((a, b) => a.topic.localeCompare(b.topic));
    }
  } catch (err) {
    error = err.message;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
const underReplicated = topics.reduce((s, t) => s + t.partitions.filter((p) => p.isr.length < p.replicas.length).length, 0);
const leaderless = topics.reduce((s, t) => s + t.partitions.filter((p) => p.leader === null).length, 0);
const out = {
  nodes: nodes.map(({ id, port, controller_port, pid, up: isUp }) => ({ id, port, controller_port, pid, up: isUp })),
  controller,
  controller_epoch: epoch >= 0 ? epoch : null,
  under_replicated_partitions: underReplicated,
  offline_partitions: leaderless,
  topics,
  ...(error ? { error } : {}),
};

if (json) {
  console.log(JSON.stringify(out, null, 2));
} else {
  for (const n of out.nodes)
    console.log(
      `node ${n.id}  ${n.up ? 'up  ' : 'down'}  broker 127.0.0.1:${n.port}  controller :${n.controller_port}${n.pid ? `  pid ${n.pid}` : ''}${n.id === controller ? '  (active controller)' : ''}`,
    );
  console.log(`active controller: ${controller ?? 'unknown'}; under-replicated partitions: ${underReplicated}; offline: ${leaderless}`);
  for (const t of topics) {
    console.log(t.topic);
    for (const p of t.partitions) console.log(`  p${p.partition}  leader ${p.leader ?? '-'}  replicas ${p.replicas.join(',')}  isr ${p.isr.join(',')}`);
  }
  if (error) console.log(`error: ${error}`);
}
process.exit(up.length > 0 ? 0 : 1);
