import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import https from 'node:https';
import tls from 'node:tls';
import type { Readable } from 'node:stream';
import { hostResolver } from '../common/host-resolver.js';
import { isUnsafeLiteral, refuseNonPublic, UnsafeTargetError } from '../common/network-policy.js';
import { systemFailure, type FailureClass } from '../contracts/failure.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RESPONSE_CAP_BYTES, RESPONSE_KEEP_BYTES } from './tuning.js';

export interface SendResult {
  ok: boolean;
  status?: number;
  /** The class of the failure (contracts/failure.ts): http_500, timeout, econnrefused, tls, unsafe_target, ... */
  error?: FailureClass;
  durationMs: number;
  /** The response's Retry-After header, for the retry decision (next-step.ts). */
  retryAfter?: string;
  /** The first RESPONSE_KEEP_BYTES of the response body (shown by test sends). */
  body?: Buffer;
}

/**
 * The HTTPS client of the dispatcher: one axios instance, kept lean (no transforms, no
 * decompression, streamed response read up to RESPONSE_CAP_BYTES), keep-alive agents, no redirects followed.
 *
 * Hosts are resolved by HostResolver (c-ares with a per-query timeout and a small cache, off the
 * shared libuv pool; /etc/hosts honoured). Unless WEBHOOK_ALLOW_PRIVATE_NETWORKS, the lookup refuses
 * non-public addresses, and the socket connects to the very address that was checked (no second
 * resolution to race).
 */
@Injectable()
export class HttpSender implements OnApplicationShutdown {
  private readonly agent: https.Agent;
  private readonly http: AxiosInstance;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const allowPrivate = config.delivery.allowPrivateNetworks;
    this.agent = new https.Agent({
      keepAlive: true,
      keepAliveMsecs: 10_000,
      // Per-webhook limits are the ConcurrencyGate's job; many webhooks may share one host.
      maxSockets: config.delivery.maxInFlight,
      // As many idle sockets as there may be in flight: with fewer, every burst closed the extra
      // sockets and the next one paid a TLS handshake for each (TLSSocket setup, a secure context and
      // the certificate check showed in the dispatcher's profile; not measured on its own).
      maxFreeSockets: config.delivery.maxInFlight,
      scheduling: 'lifo',
      // One secure context (the default trust store, NODE_EXTRA_CA_CERTS included) for every
      // connection: without it tls.connect builds a new one per connection, which the profile of a
      // dispatcher's first seconds (a TLS handshake per new socket) showed at 2 % of the CPU.
      secureContext: tls.createSecureContext(),
      lookup: hostResolver.lookupFn(allowPrivate ? undefined : refuseNonPublic) as unknown as https.AgentOptions['lookup'],
    });
    this.http = axios.create({
      httpsAgent: this.agent,
      maxRedirects: 0,
      decompress: false,
      responseType: 'stream',
      transformRequest: [],
      transformResponse: [],
      validateStatus: () => true,
      proxy: false,
    });
  }

  /**
   * One signed POST. `stalled`, when given, is called once if no answer has come after `afterMs`
   * (the gate's stall mark); the same timer then runs on to the attempt's deadline, so an attempt
   * arms one timer, not three (AbortSignal.timeout, the stall timer and axios' own).
   */
  async post(url: string, body: Buffer, headers: Record<string, string>, stalled?: { afterMs: number; call: () => void }): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, error: 'invalid_url', durationMs: 0 }; // a stored URL that does not parse: fails like any attempt, ends in the DLQ
    }
    if (parsed.protocol !== 'https:') return { ok: false, error: 'not_https', durationMs: 0 };
    if (!this.config.delivery.allowPrivateNetworks && isUnsafeLiteral(parsed.hostname)) return { ok: false, error: 'unsafe_target', durationMs: 0 };
    // One deadline for the whole attempt: connect, TLS, request, response headers and the capped body.
    const timeoutMs = this.config.delivery.timeoutMs;
    const abort = new AbortController();
    const stallFirst = stalled !== undefined && stalled.afterMs < timeoutMs;
    let timer = setTimeout(
      () => {
        if (!stallFirst) return abort.abort();
        stalled.call();
        timer = setTimeout(() => abort.abort(), timeoutMs - stalled.afterMs);
      },
      stallFirst ? stalled.afterMs : timeoutMs,
    );
    try {
      const res = await this.http.post<Readable>(url, body, { headers, signal: abort.signal });
      const kept = await drain(res.data, RESPONSE_CAP_BYTES);
      const ok = res.status >= 200 && res.status < 300;
      const retryAfter = typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined;
      return { ok, status: res.status, error: ok ? undefined : (`http_${res.status}` as const), durationMs: elapsed(), retryAfter, body: kept };
    } catch (err) {
      return { ok: false, error: classify(err, abort.signal), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  onApplicationShutdown(): void {
    this.agent.destroy();
  }
}

/** Reads up to `cap` bytes of the response (keeping the first RESPONSE_KEEP_BYTES), then lets the socket go back to the pool. */
function drain(stream: Readable, cap: number): Promise<Buffer> {
  return new Promise((resolve) => {
    let seen = 0;
    const kept: Buffer[] = [];
    const done = () => {
      stream.removeAllListeners('data');
      resolve(Buffer.concat(kept).subarray(0, RESPONSE_KEEP_BYTES));
    };
    stream.on('data', (chunk: Buffer) => {
      if (seen < RESPONSE_KEEP_BYTES) kept.push(chunk.subarray(0, RESPONSE_KEEP_BYTES - seen));
      seen += chunk.length;
      if (seen > cap) {
        stream.destroy();
        done();
      }
    });
    stream.once('end', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}

/** The failure class of a request that got no answer (contracts/failure.ts). */
function classify(err: unknown, signal: AbortSignal): FailureClass {
  if (signal.aborted) return 'timeout';
  const e = err as { code?: string; cause?: { code?: string }; message?: string };
  if (e instanceof UnsafeTargetError || e.cause instanceof UnsafeTargetError) return 'unsafe_target';
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') return 'timeout';
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)) return 'tls';
  if (code) return systemFailure(code);
  return 'network_error';
}
