/**
 * Every class of failure an attempt can end with: the `error` of an attempt record and of the
 * deliveries API, the `last_error` of a dead letter, and the `reason` of `delivery.dead_lettered`.
 * Tenants read these strings, so their spelling is part of the contract: the system error codes listed
 * here keep the lower-cased spelling the sender has always written (`econnrefused`, not
 * `connection_refused`); a code not listed is `network_error`, a malformed HTTP answer `invalid_response`.
 */
export const FAILURE_CLASSES = {
  // The endpoint answered.
  'http_<status>': 'the endpoint answered with a non-2xx status (http_503, http_410, ...; redirects are not followed: http_301)',
  // The request may have reached the endpoint.
  timeout: 'no complete answer within WEBHOOK_TIMEOUT_MS (connect, TLS, request, headers and the capped body)',
  econnreset: 'the connection was reset after it was made',
  epipe: 'the endpoint closed the connection while the request was written',
  // Nothing was sent.
  econnrefused: 'the endpoint refused the connection',
  enotfound: 'the host does not resolve',
  eai_again: 'the host could not be resolved in time (a DNS timeout or server failure)',
  ehostunreach: 'no route to the host',
  enetunreach: 'no route to the network',
  ehostdown: 'the host is down',
  enetdown: 'the network is down',
  invalid_response: 'the answer was not valid HTTP (a parse error of the status line, headers or body framing)',
  tls: 'the TLS handshake failed (certificate not trusted, expired or for another name; protocol error)',
  network_error: 'any other transport failure',
  // Refused by Rift before sending.
  unsafe_target: 'the URL resolves to a private, loopback, link-local or reserved address',
  not_https: 'the stored URL is not https',
  invalid_url: 'the stored URL does not parse',
  endpoint_saturated: 'the webhook stayed at its concurrency cap for WEBHOOK_MAX_SATURATION_WAIT_MS',
  secret_undecryptable: "the webhook's stored secret does not decrypt with RIFT_SECRET_KEY (dead-lettered unsent)",
  webhook_disabled: 'the webhook was disabled while the delivery waited in a retry tier',
} as const;

/** A failure class (see FAILURE_CLASSES); `http_<status>` stands for every `http_NNN`. */
export type FailureClass = Exclude<keyof typeof FAILURE_CLASSES, 'http_<status>'> | `http_${number}`;

/** Transport errors with a class of their own; every other transport code is `network_error`. */
const SYSTEM_CODES = new Set<FailureClass>([
  'econnreset',
  'epipe',
  'econnrefused',
  'enotfound',
  'eai_again',
  'ehostunreach',
  'enetunreach',
  'ehostdown',
  'enetdown',
]);

/** The class of a system error code (ECONNREFUSED -> econnrefused; unknown codes -> network_error). */
export function systemFailure(code: string): FailureClass {
  if (code.startsWith('HPE_')) return 'invalid_response'; // Node's HTTP parser
  const c = code.toLowerCase() as FailureClass;
  return SYSTEM_CODES.has(c) ? c : 'network_error';
}

/** Failures after which the request may have reached the endpoint (so X-Rift-Attempt counts it). */
export function mayHaveReached(error: FailureClass | undefined, status: number | undefined): boolean {
  return status !== undefined || error === 'timeout' || error === 'econnreset' || error === 'epipe';
}

/** Refusals by Rift's own policy: they say nothing about the endpoint's capacity. */
export function isPolicyRefusal(error: FailureClass | undefined): boolean {
  return error === 'unsafe_target' || error === 'not_https' || error === 'invalid_url';
}

/** One line per class, for API and AsyncAPI descriptions. */
export const FAILURE_CLASS_LIST = Object.keys(FAILURE_CLASSES).join(', ');
