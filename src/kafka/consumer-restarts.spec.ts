import { Logger } from '@nestjs/common';
import { ConsumerRestarts, type Restartable } from './consumer-restarts.js';

const quiet = new Logger('test');
quiet.warn = () => undefined;

function target(runs: (n: number) => Promise<void>) {
  const log: string[] = [];
  let n = 0;
  let stopping = false;
  const t: Restartable = {
    run: () => {
      log.push(`run ${++n}`);
      return runs(n);
    },
    disconnect: async () => void log.push('disconnect'),
    isStopping: () => stopping,
    failed: (m) => void log.push(`failed: ${m}`),
    restarting: () => void log.push('down'),
  };
  return { t, log, stop: () => (stopping = true) };
}

describe('ConsumerRestarts', () => {
  it('start retries a failing run (disconnecting in between) until it works', async () => {
    const { t, log } = target(async (n) => {
      if (n < 3) throw new Error(`coordinator not available ${n}`);
    });
    await new ConsumerRestarts(t, quiet).start();
    expect(log).toEqual(['run 1', 'failed: coordinator not available 1', 'disconnect', 'run 2', 'failed: coordinator not available 2', 'disconnect', 'run 3']);
  });

  it('start gives up quietly once the process stops, and does not run at all when already stopping', async () => {
    const { t, log, stop } = target(async () => {
      stop();
      throw new Error('down');
    });
    await new ConsumerRestarts(t, quiet).start();
    expect(log).toEqual(['run 1']);
    await new ConsumerRestarts(t, quiet).start();
    expect(log).toEqual(['run 1']);
  });

  it('a crash during a restart starts another one after it, rather than being lost', async () => {
    const ref: { restarts?: ConsumerRestarts } = {};
    const { t, log } = target(async (n) => {
      // The first restart's run "succeeds" but kafkajs reports a crash meanwhile (its join failed).
      if (n === 1) ref.restarts!.restart();
    });
    const restarts = (ref.restarts = new ConsumerRestarts(t, quiet));
    restarts.restart();
    const deadline = Date.now() + 5_000;
    while (log.filter((l) => l.startsWith('run')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['down', 'disconnect', 'run 1', 'down', 'disconnect', 'run 2']);
  });
});
