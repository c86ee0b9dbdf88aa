import { FAILURE_CLASSES, isPolicyRefusal, mayHaveReached, systemFailure } from './failure.js';

describe('failure classes', () => {
  it('keeps the lower-cased spelling of system codes tenants already read, and closes the set', () => {
    expect(systemFailure('ECONNREFUSED')).toBe('econnrefused');
    expect(systemFailure('ENOTFOUND')).toBe('enotfound');
    expect(systemFailure('EAI_AGAIN')).toBe('eai_again');
    expect(systemFailure('ECONNRESET')).toBe('econnreset');
    expect(systemFailure('HPE_INVALID_CONSTANT')).toBe('invalid_response');
    expect(systemFailure('EHOSTDOWN')).toBe('ehostdown');
    expect(systemFailure('ERR_SOMETHING_NEW')).toBe('network_error');
  });
  it('documents every class it can produce', () => {
    for (const c of ['econnrefused', 'econnreset', 'epipe', 'enotfound', 'eai_again', 'ehostunreach', 'enetunreach', 'network_error', 'timeout', 'tls']) {
      expect(Object.keys(FAILURE_CLASSES)).toContain(c);
    }
    expect(Object.keys(FAILURE_CLASSES)).not.toContain('connection_refused');
  });
  it('tells which failures may have reached the endpoint and which are Rift refusing', () => {
    expect(mayHaveReached('http_500', 500)).toBe(true);
    expect(mayHaveReached('timeout', undefined)).toBe(true);
    expect(mayHaveReached('econnrefused', undefined)).toBe(false);
    expect(isPolicyRefusal('unsafe_target')).toBe(true);
    expect(isPolicyRefusal('timeout')).toBe(false);
  });
});

describe('the README', () => {
  it('lists exactly the failure classes of FAILURE_CLASSES, with their meanings', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('**Failure classes.**')).split('\n\n')[1]!;
    const listed = Object.fromEntries([...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map(([, name, meaning]) => [name, meaning]));
    expect(listed).toEqual(FAILURE_CLASSES);
  });
});
