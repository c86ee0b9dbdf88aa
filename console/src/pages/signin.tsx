import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiFailure } from '../api.js';
import { ErrorBox } from '../ui.js';

/** One password field: the key is checked against the API before it is kept in this tab. */
export function SignIn({ notice, onSignedIn }: { notice?: string; onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The autofocus attribute works only on a page's first load; after a sign-out the form is new too.
  useEffect(() => input.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) return setError('Enter your API key (it starts with rl_live_).');
    setBusy(true);
    setError(undefined);
    try {
      // With the key passed explicitly: a refused key must not sign anyone out or in.
      await api('GET', '/v1/webhooks', undefined, k);
      onSignedIn(k);
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <form class="card signin-card" onSubmit={submit}>
        <h1>
          <img src="/console/favicon.svg" alt="" width="32" height="32" /> Rift console
        </h1>
        <p class="muted">Your webhooks, their deliveries and failures, and your links' stats.</p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          placeholder="rl_live_…"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          ref={input}
        />
        <ErrorBox error={error} />
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p class="small muted">The key stays in this browser tab only and is sent to this server's API as a Bearer header.</p>
      </form>
    </main>
  );
}
