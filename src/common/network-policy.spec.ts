import { assertPublicHost, bareHost, isPublicAddress, UnsafeTargetError } from './network-policy.js';

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '203.0.114.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows public unicast %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });

  it.each([
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fd00:ec2::254', 'unique-local (AWS metadata over IPv6)'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['not-an-ip', 'not an address'],
    ['', 'empty'],
  ])('refuses %s (%s)', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });
});

describe('bareHost', () => {
  it('strips IPv6 brackets and nothing else', () => {
    expect(bareHost('[::1]')).toBe('::1');
    expect(bareHost('example.com')).toBe('example.com');
    expect(bareHost('[::1')).toBe('[::1');
    expect(new URL('https://[fd00:ec2::254]:8443/x').hostname).toBe('[fd00:ec2::254]');
  });
});

describe('assertPublicHost', () => {
  it('accepts a public address literal without any lookup', async () => {
    await expect(assertPublicHost('8.8.8.8')).resolves.toBeUndefined();
    await expect(assertPublicHost('[2606:4700:4700::1111]')).resolves.toBeUndefined();
  });

  it('refuses private literals, bracketed or not', async () => {
    await expect(assertPublicHost('169.254.169.254')).rejects.toBeInstanceOf(UnsafeTargetError);
    await expect(assertPublicHost('[::1]')).rejects.toThrow('::1 is a private, loopback, link-local or reserved address');
  });

  it('refuses a name that resolves to loopback (/etc/hosts), without naming the address', async () => {
    const err = await assertPublicHost('localhost').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafeTargetError);
    expect((err as Error).message).toBe('host localhost resolves to a private, loopback, link-local or reserved address');
    expect((err as UnsafeTargetError).code).toBe('UNSAFE_TARGET');
  });
});
