// The benchmark's HTTPS receiver, in a process of its own (forked by the scenarios): keep-alive,
// certificate from the test CA, answers 200 (or hangs for paths under /hang/), and measures each
// delivery's end-to-end latency from the event's own timestamp (set at publish time). Paths under
// /fail/ answer 500 and record each attempt's arrival (for the retry-timing scenario).
// Mode (argv[2]) "lognormal": every answer waits a lognormal delay, median 50 ms and p99 about
// 500 ms (mu = ln 50, sigma = ln 10 / 2.326), as real endpoints answer; "fast" (default) answers at
// once. Latency is taken on arrival; count, first and last when the answer is sent.
import { createServer } from 'node:https';
import { testPki } from '../test/support/tls.js';

const MU = Math.log(50);
const SIGMA = Math.log(10) / 2.326;
/** A lognormal delay in ms (Box-Muller for the standard normal), or 0 in the fast mode. */
const answerDelay: () => number =
  process.argv[2] === 'lognormal' ? () => Math.exp(MU + SIGMA * Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random())) : () => 0;

const latencies: number[] = [];
/** Each latency's publish time (the event's timestamp), same order: lets a scenario leave out a cold start. */
const published: number[] = [];
let count = 0;
let first = 0;
let last = 0;
const hanging = new Set<{ destroy(): void }>();
/** Paths under /fail/ answer 500 and record when each attempt of each event arrived. */
const failures: { event: string; attempt: number; at: number }[] = [];

const pki = testPki();
const server = createServer({ cert: pki.cert, key: pki.key, keepAlive: true }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url?.startsWith('/hang/')) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    const now = Date.now();
    if (req.url?.startsWith('/fail/')) {
      failures.push({ event: `${String(req.headers['x-rift-event-id'])} ${req.url}`, attempt: Number(req.headers['x-rift-attempt']), at: now });
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { timestamp: string } };
      const at = Date.parse(body.data.timestamp);
      latencies.push(now - at);
      published.push(at);
    } catch {
      /* not ours */
    }
    const answer = () => {
      const at = Date.now();
      count++;
      first ||= at;
      last = at;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    };
    const delay = answerDelay();
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));

// The scenario that forked this receiver is gone (killed, timed out): go too, instead of lingering.
process.on('disconnect', () => process.exit(0));

process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'reset') {
    latencies.length = 0;
    published.length = 0;
    failures.length = 0;
    count = 0;
    first = 0;
    last = 0;
    process.send!({ ok: true });
  } else if (m.cmd === 'count') {
    process.send!({ count, first, last });
  } else if (m.cmd === 'stats') {
    process.send!({ count, first, last, latencies, published });
  } else if (m.cmd === 'failures') {
    process.send!({ failures });
  } else if (m.cmd === 'stop') {
    hanging.forEach((r) => r.destroy());
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  }
});
