import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HostResolver, parseHosts } from './host-resolver.js';

describe('HostResolver', () => {
  it('reads /etc/hosts lines, comments and aliases, IPv4 first', () => {
    const hosts = parseHosts('# comment\n::1 localhost ip6-localhost\n127.0.0.1\tlocalhost  # trailing\n\n10.0.0.5 db db.internal\n');
    expect(hosts.get('localhost')).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(hosts.get('db.internal')).toEqual([{ address: '10.0.0.5', family: 4 }]);
  });

  it('answers from the hosts file before DNS, and passes IP literals through', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rift-hosts-'));
    const file = path.join(dir, 'hosts');
    writeFileSync(file, '127.0.0.9 receiver.test\n');
    const r = new HostResolver(file);
    expect(await r.resolve('Receiver.Test.')).toEqual([{ address: '127.0.0.9', family: 4 }]);
    expect(await r.resolve('::1')).toEqual([{ address: '::1', family: 6 }]);
  });

  it('fails a lookup with a code instead of hanging', async () => {
    const r = new HostResolver('/nonexistent');
    await expect(r.resolve('does-not-exist.invalid')).rejects.toHaveProperty('code');
  }, 15_000);
});
