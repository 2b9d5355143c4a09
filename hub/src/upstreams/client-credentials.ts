/** What the token endpoint needs: RFC 6749 §4.4 (client credentials grant). */
export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  /** Read on every token request, so a rotated secret file is picked up without a restart. */
  clientSecret: () => string;
  scope?: string | undefined;
  audience?: string | undefined;
  resource?: string | undefined;
  clientAuth: 'client_secret_basic' | 'client_secret_post';
  fetch?: typeof fetch;
  now?: () => number;
}

/** Tokens are renewed this long before they expire, so a call never starts with a token about to lapse. */
const EXPIRY_MARGIN_MS = 30_000;
/** A token response without `expires_in` is trusted this long (a 401 renews it sooner). */
const DEFAULT_LIFETIME_MS = 300_000;
const TOKEN_REQUEST_TIMEOUT_MS = 15_000;

/**
 * Access tokens from an OAuth client-credentials grant: fetched on first use, cached until shortly
 * before they expire, fetched once for all concurrent callers, and dropped when the upstream
 * refuses one (`invalidate`). Error messages name the endpoint and the OAuth error, never a secret.
 */
export class ClientCredentialsTokens {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;
  /** How many tokens were fetched (tests and the status page). */
  fetched = 0;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<string> {
    if (this.cached !== undefined && this.cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return this.cached.token;
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The upstream refused `token`: forget it (unless a newer one replaced it already). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async request(): Promise<string> {
    const { tokenUrl, clientId, clientAuth } = this.options;
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.scope) body.set('scope', this.options.scope);
    if (this.options.audience) body.set('audience', this.options.audience);
    if (this.options.resource) body.set('resource', this.options.resource);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const secret = this.options.clientSecret();
    if (clientAuth === 'client_secret_basic') {
      // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
    } else {
      body.set('client_id', clientId);
      body.set('client_secret', secret);
    }
    const started = this.now();
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(tokenUrl, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`token endpoint ${tokenUrl} unreachable: ${(error as Error).message}`);
    }
    const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof payload.access_token !== 'string' || payload.access_token === '') {
      const oauthError = typeof payload.error === 'string' ? ` ${payload.error}` : '';
      const description = typeof payload.error_description === 'string' ? `: ${payload.error_description.slice(0, 200)}` : '';
      throw new Error(`token endpoint ${tokenUrl} refused client '${clientId}' (HTTP ${response.status}${oauthError}${description})`);
    }
    const lifetime = typeof payload.expires_in === 'number' && payload.expires_in > 0 ? payload.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    this.cached = { token: payload.access_token, expiresAt: started + lifetime };
    this.fetched++;
    return payload.access_token;
  }
}
