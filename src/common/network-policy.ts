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

/** True for an IP-literal host (brackets allowed) that is not a public address: refused without a lookup. */
export function isUnsafeLiteral(hostname: string): boolean {
  const host = bareHost(hostname);
  return isIP(host) !== 0 && !isPublicAddress(host);
}

/**
 * The refusal of a resolved host, or undefined when every address is public. Used by the API's check
 * at registration and by the sender's lookup (which then connects to the very address it checked).
 * The message does not say which address: that would let anyone map private DNS through the API.
 */
export function refuseNonPublic(hostname: string, addresses: readonly { address: string }[]): UnsafeTargetError | undefined {
  if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) {
    return new UnsafeTargetError(`host ${bareHost(hostname)} resolves to a private, loopback, link-local or reserved address`);
  }
  return undefined;
}

/** Resolves a host and refuses it when any of its addresses is not public. */
export async function assertPublicHost(hostname: string): Promise<void> {
  const host = bareHost(hostname);
  if (isUnsafeLiteral(host)) throw new UnsafeTargetError(`${host} is a private, loopback, link-local or reserved address`);
  if (isIP(host)) return;
  let addresses: { address: string }[];
  try {
    addresses = await hostResolver.resolve(host);
  } catch (err) {
    throw new UnsafeTargetError(`host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const refused = refuseNonPublic(host, addresses);
  if (refused) throw refused;
}
