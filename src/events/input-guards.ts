/**
 * Checks that JSON parsing and the shape checks do not make: the ways a schema-valid event could
 * still break a consumer, a SQL statement or a receiver. Each returns a reason (the event is set
 * aside with it) or undefined. All of them walk iteratively: the input may be 30,000 levels deep.
 */

/**
 * Deepest nesting accepted anywhere in an event (the `data` object is level 1, so `metadata` may
 * nest 30 levels below it). class-transformer recurses once per level and threw a RangeError at
 * about 5,000; PostgreSQL's json parser stops at its stack limit too. No real metadata needs more.
 */
export const MAX_JSON_DEPTH = 32;

/** How deep `value` nests objects and arrays, stopping early once past `limit`. */
export function nestingDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A lone UTF-16 surrogate: not encodable as UTF-8, so no receiver could decode it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first string (value or key) that holds U+0000 (PostgreSQL's text and jsonb refuse it, and C
 * receivers truncate at it) or a lone surrogate, named by its path; undefined when there is none.
 */
export function badString(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  const check = (s: string, path: string) => {
    if (s.includes('\u0000')) return `${path || 'value'} contains U+0000, which cannot be stored`;
    if (LONE_SURROGATE.test(s)) return `${path || 'value'} contains a lone UTF-16 surrogate (not valid Unicode)`;
    return undefined;
  };
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const bad = check(v, path);
      if (bad) return bad;
    } else if (Array.isArray(v)) {
      v.forEach((child, i) => stack.push([child, `${path}[${i}]`]));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        const keyPath = path ? `${path}.${k}` : k;
        const bad = check(k, `key ${JSON.stringify(keyPath.slice(0, 100))}`);
        if (bad) return bad;
        stack.push([child, keyPath]);
      }
    }
  }
  return undefined;
}
