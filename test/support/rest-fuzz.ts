import fc from 'fast-check';
import { EVENT_TYPES } from '../../src/contracts/event-types.js';

/**
 * The chaos suite's REST fuzz (test/chaos.chaos-spec.ts): arbitrary requests against the API, aimed
 * at the fuzzing tenant's (`me`) and another tenant's webhooks, so that a change to the other
 * tenant's data would show.
 */
export function restFuzzArbitraries(me: { api_key: string; webhook: string }, other: { webhook: string }) {
  const segment = fc.oneof(
    fc.constantFrom(me.webhook, other.webhook, '000000000000000000000000', 'summer-sale', '..', '%00', '%2e%2e', 'a'.repeat(300)),
    fc.string({ maxLength: 30 }).map(encodeURIComponent),
  );
  const pathArb = fc.oneof(
    fc.constant('/v1/webhooks'),
    segment.map((s) => `/v1/webhooks/${s}`),
    segment.map((s) => `/v1/webhooks/${s}/rotate-secret`),
    fc
      .tuple(segment, fc.string({ maxLength: 20 }))
      .map(([s, q]) => `/v1/webhooks/${s}/deliveries?outcome=${encodeURIComponent(q)}&limit=${encodeURIComponent(q)}`),
    fc.tuple(segment, segment).map(([s, e]) => `/v1/webhooks/${s}/deliveries/${e}/retry`),
    fc.tuple(segment, fc.string({ maxLength: 30 })).map(([s, q]) => `/v1/links/${s}/stats?from=${encodeURIComponent(q)}&to=${encodeURIComponent(q)}`),
    fc
      .tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }))
      .map(([k, v]) => `/v1/events?${encodeURIComponent(k)}=${encodeURIComponent(v)}&cursor=${encodeURIComponent(v)}`),
    fc.string({ maxLength: 40 }).map((s) => `/${encodeURIComponent(s)}`),
  );
  const bodyArb = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .record(
        { url: fc.oneof(fc.webUrl(), fc.string()), events: fc.array(fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string()), { maxLength: 4 }) },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
  );
  // Mostly the fuzzing tenant's own valid key, so requests get past the guard into validation.
  const authArb = fc.oneof(
    { arbitrary: fc.constant(`Bearer ${me.api_key}`), weight: 6 },
    fc.constant(undefined),
    fc.string({ maxLength: 60 }),
    fc.constant(`Bearer ${me.api_key}x`),
  );
  const ctypeArb = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined);
  const methodArb = fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT');
  return { methodArb, pathArb, bodyArb, authArb, ctypeArb };
}
