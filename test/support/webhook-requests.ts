/** Requests the webhook API must refuse (test/webhooks-api.e2e-spec.ts). */

/** POST /v1/webhooks bodies that get a 400: [case name, body, the field its message names ('' for none)]. */
export const INVALID_CREATE_BODIES: [string, unknown, string][] = [
  ['http URL', { url: 'http://example.com/hook', events: ['click'] }, 'url'],
  ['relative URL', { url: '/hook', events: ['click'] }, 'url'],
  ['URL with credentials', { url: 'https://user:pass@example.com/hook', events: ['click'] }, 'url'],
  ['oversized URL', { url: `https://example.com/${'a'.repeat(2100)}`, events: ['click'] }, 'url'],
  ['URL not a string', { url: 42, events: ['click'] }, 'url'],
  ['missing url', { events: ['click'] }, 'url'],
  ['unknown event', { url: 'https://example.com/h', events: ['click', 'purchase'] }, 'events'],
  ['duplicate events', { url: 'https://example.com/h', events: ['click', 'click'] }, 'events'],
  ['empty events', { url: 'https://example.com/h', events: [] }, 'events'],
  ['events not an array', { url: 'https://example.com/h', events: 'click' }, 'events'],
  ['missing events', { url: 'https://example.com/h' }, 'events'],
  ['unknown field', { url: 'https://example.com/h', events: ['click'], secret: 'mine' }, 'secret'],
  ['body not an object', [1, 2], ''],
];

/** Targets refused when private networks are not allowed: private, loopback, link-local and metadata addresses. */
export const PRIVATE_TARGETS = [
  'https://127.0.0.1/h',
  'https://10.1.2.3/h',
  'https://192.168.0.1/h',
  'https://169.254.169.254/latest',
  'https://[::1]/h',
  'https://[fd00:ec2::254]/h',
  'https://localhost/h',
  'https://[::ffff:127.0.0.1]/h',
];
