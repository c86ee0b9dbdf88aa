import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { hostResolver } from './host-resolver.js';

/**
 * Where webhooks may point: public unicast addresses only. Private, loopback, link-local (which
 * holds cloud metadata at 169.254.169.254), unique-local (fd00:ec2::254), carrier-grade NAT,
 * multicast, reserved and unspecified addresses are refused, including IPv4-mapped IPv6 forms.
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  return ipaddr.process(ip).range() === 'unicast';
}

export class UnsafeTargetError extends Error {
  readonly code = 'UNSAFE_TARGET';
}

/** Hostname as written in a URL, without IPv6 brackets. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Resolves a host and refuses it when any of its addresses is not public. */
export async function assertPublicHost(hostname: string): Promise<void> {
  const host = bareHost(hostname);
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw new UnsafeTargetError(`${host} is a private, loopback, link-local or reserved address`);
    return;
  }
  let addresses: { address: string }[];
  try {
    addresses = await hostResolver.resolve(host);
  } catch (err) {
    throw new UnsafeTargetError(`host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // The message does not say which address: that would let anyone map private DNS through the API.
  if (addresses.some((a) => !isPublicAddress(a.address))) throw new UnsafeTargetError(`host ${host} resolves to a private, loopback, link-local or reserved address`);
}
