import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiFailure } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiFailure | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * GET a path, again every `pollMs` while the tab is visible. The last data stays on screen while a
 * reload runs or fails, so nothing jumps; an error is shown beside it.
 */
export function useApi<T>(path: string | null, pollMs = 0): Loaded<T> {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: ApiFailure; loading: boolean }>({ path, loading: true });
  const seq = useRef(0);
  const load = useCallback(() => {
    if (!path) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, path, loading: true }));
    api<T>('GET', path).then(
      (data) => mine === seq.current && setState({ path, data, loading: false }),
      (error: unknown) =>
        mine === seq.current &&
        setState((s) => ({
          path,
          data: s.path === path ? s.data : undefined,
          error: error instanceof ApiFailure ? error : new ApiFailure(0, String(error)),
          loading: false,
        })),
    );
  }, [path]);
  useEffect(() => {
    load();
    if (!pollMs) return;
    const timer = setInterval(() => document.visibilityState === 'visible' && load(), pollMs);
    return () => clearInterval(timer);
  }, [load, pollMs]);
  const same = state.path === path;
  return { data: same ? state.data : undefined, error: same ? state.error : undefined, loading: !same || state.loading, reload: load };
}

/** The part of the location after `#/`, split; the console is one page and routes by hash. */
export function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
