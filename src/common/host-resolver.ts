import { readFile, stat } from 'node:fs/promises';
import type { LookupAddress } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

/** c-ares' timeout for one query try, and tries: a host whose DNS never answers fails in about 4 s. */
const QUERY_TIMEOUT_MS = 2_000;
const QUERY_TRIES = 2;
/** Answers are kept for their TTL, within these bounds; failures for NEGATIVE_TTL_MS. */
const MIN_TTL_MS = 5_000;
const MAX_TTL_MS = 300_000;
const NEGATIVE_TTL_MS = 5_000;
/** Most hosts cached (webhook hosts are few; bad input could make many). */
const MAX_ENTRIES = 10_000;
/** How often /etc/hosts is looked at for changes. */
const HOSTS_CHECK_MS = 30_000;

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Resolves webhook hosts without the shared libuv thread pool: node's default `dns.lookup` runs
 * getaddrinfo on one of its 4 threads, so 4 hosts whose DNS never answers would stall every other
 * tenant's lookups (and file I/O) behind them. This uses c-ares (`dns.Resolver`, asynchronous, with
 * a per-query timeout) and a small TTL cache. c-ares does not read /etc/hosts, so that file is read
 * here and wins, as it does for getaddrinfo (the tests' receivers are `localhost`).
 */
export class HostResolver {
  private readonly resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: QUERY_TRIES });
  private readonly cache = new Map<string, { addresses?: LookupAddress[]; error?: NodeJS.ErrnoException; expires: number }>();
  private readonly inflight = new Map<string, Promise<LookupAddress[]>>();
  private hosts = new Map<string, LookupAddress[]>();
  private hostsMtime = -1;
  private hostsCheckedAt = 0;
  private hostsRefresh?: Promise<void>;

  constructor(private readonly hostsFile = '/etc/hosts') {}

  /** Every address of `hostname` (IPv4 first), or an error with a `code` (ENOTFOUND, ETIMEOUT, ...). */
  async resolve(hostname: string): Promise<LookupAddress[]> {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    const family = isIP(host);
    if (family) return [{ address: host, family }];
    await this.refreshHosts();
    const fromHosts = this.hosts.get(host);
    if (fromHosts) return fromHosts;
    const hit = this.cache.get(host);
    if (hit && hit.expires > Date.now()) {
      if (hit.error) throw hit.error;
      return hit.addresses!;
    }
    let p = this.inflight.get(host);
    if (!p) {
      p = this.query(host).finally(() => this.inflight.delete(host));
      this.inflight.set(host, p);
    }
    return p;
  }

  /** `lookup` for an http(s) Agent: the same answers, in the callback form net.connect expects. */
  lookupFn(check?: (hostname: string, addresses: LookupAddress[]) => Error | undefined) {
    return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
      this.resolve(hostname).then(
        (all) => {
          const addresses = options.family ? all.filter((a) => a.family === options.family) : all;
          const refused = check?.(hostname, addresses);
          if (refused) return callback(refused as NodeJS.ErrnoException, []);
          if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
          if (options.all) return callback(null, addresses);
          callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (err: NodeJS.ErrnoException) => callback(err, []),
      );
    };
  }

  private async query(host: string): Promise<LookupAddress[]> {
    const [v4, v6] = await Promise.allSettled([this.resolver.resolve4(host, { ttl: true }), this.resolver.resolve6(host, { ttl: true })]);
    const records = [
      ...(v4.status === 'fulfilled' ? v4.value.map((r) => ({ ...r, family: 4 })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((r) => ({ ...r, family: 6 })) : []),
    ];
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    if (records.length === 0) {
      const reason = (v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : undefined) as NodeJS.ErrnoException | undefined;
      const code = reason?.code === 'ENODATA' || !reason?.code ? 'ENOTFOUND' : reason.code;
      const error = Object.assign(new Error(`${host} does not resolve (${code})`), { code, hostname: host }) as NodeJS.ErrnoException;
      this.cache.set(host, { error, expires: Date.now() + NEGATIVE_TTL_MS });
      throw error;
    }
    const ttlMs = Math.min(MAX_TTL_MS, Math.max(MIN_TTL_MS, Math.min(...records.map((r) => r.ttl)) * 1000));
    const addresses = records.map(({ address, family }) => ({ address, family }));
    this.cache.set(host, { addresses, expires: Date.now() + ttlMs });
    return addresses;
  }

  /** Concurrent lookups share one read of the file (the first ones must not see an empty map). */
  private refreshHosts(): Promise<void> {
    if (Date.now() - this.hostsCheckedAt < HOSTS_CHECK_MS) return Promise.resolve();
    this.hostsRefresh ??= this.readHosts().then((read) => {
      if (read) this.hostsCheckedAt = Date.now();
      this.hostsRefresh = undefined;
    });
    return this.hostsRefresh;
  }

  /**
   * True once the file was read (or is known to be absent). Any other failure (too many open files
   * under load) keeps the previous entries and is tried again at the next lookup: an empty map for
   * 30 s would send `localhost` to DNS, which does not know it.
   */
  private async readHosts(): Promise<boolean> {
    try {
      const { mtimeMs } = await stat(this.hostsFile);
      if (mtimeMs !== this.hostsMtime) {
        this.hosts = parseHosts(await readFile(this.hostsFile, 'utf8'));
        this.hostsMtime = mtimeMs;
      }
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return false;
      this.hosts = new Map();
      return true;
    }
  }
}

/** /etc/hosts: `address name [aliases...]` per line, `#` comments; IPv4 addresses first per name. */
export function parseHosts(text: string): Map<string, LookupAddress[]> {
  const out = new Map<string, LookupAddress[]>();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const family = address ? isIP(address) : 0;
    if (!family) continue;
    for (const name of names) {
      const key = name.toLowerCase();
      const list = out.get(key) ?? [];
      if (!list.some((a) => a.address === address)) list.push({ address: address!, family });
      out.set(
        key,
        list.sort((a, b) => a.family - b.family),
      );
    }
  }
  return out;
}

/** The process's resolver: one cache for registration checks and deliveries. */
export const hostResolver = new HostResolver();
