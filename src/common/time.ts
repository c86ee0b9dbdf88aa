/** ISO-8601 UTC without milliseconds, as in the docs ("2026-03-24T15:00:00Z"). */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
