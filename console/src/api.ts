/**
 * The console's only way to the server: the public REST API with the tenant's key as a Bearer
 * header. The key lives in this tab's sessionStorage only (never a URL, a cookie or a log), so it
 * is gone when the tab closes.
 */
const KEY = 'rift.apiKey';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let onUnauthorized: (message: string) => void = () => {};
/** The shell signs the tenant out (with this message) when a key stops being accepted. */
export function whenUnauthorized(f: (message: string) => void): void {
  onUnauthorized = f;
}

export const UNREACHABLE = 'Cannot reach the Rift API: the service is down or the network is unreachable. The page retries by itself.';
export const KEY_REFUSED = 'That API key was not accepted: it is wrong or has been revoked. Nothing was loaded.';

export async function api<T>(method: string, path: string, body?: unknown, key = session.key()): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      cache: 'no-store',
      credentials: 'omit',
      headers: { Authorization: `Bearer ${key ?? ''}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, UNREACHABLE);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    if (res.status === 401) {
      onUnauthorized(KEY_REFUSED);
      throw new ApiFailure(401, KEY_REFUSED);
    }
    throw new ApiFailure(res.status, describe(res.status, res.headers.get('Retry-After'), json));
  }
  if (json === undefined) throw new ApiFailure(res.status, `The API answered ${method} ${path} with something that is not JSON.`);
  return json as T;
}

function describe(status: number, retryAfter: string | null, json: unknown): string {
  const m = (json as { message?: unknown } | undefined)?.message;
  const detail = Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : '';
  if (status === 429) return `Too many requests${retryAfter ? `: try again in ${retryAfter} s` : ''}. ${detail}`.trim();
  if (status >= 500) return `The API failed (${status})${detail ? `: ${detail}` : ''}. Try again; if it persists, tell your operator.`;
  return detail ? `${detail} (${status})` : `The API answered ${status}.`;
}

/** Query string from the defined values only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
