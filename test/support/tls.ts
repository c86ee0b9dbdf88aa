import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  caCertPath: string;
  cert: Buffer;
  key: Buffer;
}

/**
 * A throwaway CA and a localhost/127.0.0.1 server certificate signed by it, made with openssl at
 * test time. The service trusts the CA through NODE_EXTRA_CA_CERTS.
 */
export function testPki(): TestPki {
  // Child processes (the benchmark's receiver) inherit the directory, so they serve the same CA.
  const dir = (process.env.RIFT_TEST_PKI_DIR ??= path.join(tmpdir(), `rift-test-pki-${process.pid}`));
  const caCertPath = path.join(dir, 'ca.crt');
  if (!existsSync(path.join(dir, 'server.crt'))) {
    mkdirSync(dir, { recursive: true });
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3',
      '-subj',
      '/CN=Rift Test CA',
    );
    run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    writeFileSync(
      path.join(dir, 'ext.cnf'),
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
    );
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '3', '-extfile', 'ext.cnf');
  }
  return { dir, caCertPath, cert: readFileSync(path.join(dir, 'server.crt')), key: readFileSync(path.join(dir, 'server.key')) };
}
