import { useState } from 'preact/hooks';
import { getJson, saveToken } from '../api.ts';
import type { Me } from '../types.ts';

/** Sign in with an API key or a JWT: the same bearer tokens the hub's HTTP face takes. */
export function LoginPage({ onSignedIn }: { onSignedIn(me: Me): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    saveToken(token.trim());
    try {
      onSignedIn(await getJson<Me>('/v1/me'));
    } catch (e) {
      saveToken(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login">
      <form onSubmit={submit} class="card">
        <h1>Switchboard console</h1>
        <p class="muted">Sign in with an API key or a JWT. It is kept in this tab only and sent to this hub only.</p>
        <label>
          Token
          <input
            name="token"
            type="password"
            autocomplete="off"
            required
            value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
            placeholder="sb_…"
          />
        </label>
        {error && (
          <div class="error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" class="primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
