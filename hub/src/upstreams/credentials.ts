import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { secretFromEnv } from '@switchboard/kit';
import type { UpstreamAuthSpec } from '../config/index.ts';
import { ClientCredentialsTokens } from './client-credentials.ts';

/** The HTTP-upstream fields credentials come from. */
export interface CredentialSpec {
  headers: Record<string, string>;
  headersFromEnv?: Record<string, string>;
  auth?: UpstreamAuthSpec | undefined;
}

/**
 * How the hub authenticates itself to one HTTP upstream: static headers, headers and bearer tokens
 * read from env / `*_FILE` secret files / files, or OAuth client-credentials tokens (cached and
 * refreshed). Only the hub's own credentials: nothing of the caller's request (its Authorization
 * header above all) ever reaches an upstream, because upstream transports are built here, from
 * config, and never from a caller's request.
 */
export class UpstreamCredentials {
  readonly tokens: ClientCredentialsTokens | undefined;

  constructor(
    private readonly spec: CredentialSpec,
    private readonly baseDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    fetchImpl?: typeof fetch,
  ) {
    const auth = spec.auth;
    if (auth?.type === 'oauth-client-credentials') {
      this.tokens = new ClientCredentialsTokens({
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret: () => this.secret('clientSecret', auth),
        scope: auth.scope,
        audience: auth.audience,
        resource: auth.resource,
        clientAuth: auth.clientAuth,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      });
    }
  }

  /** Headers for the next connection: read now, so rotated secrets are used after a reconnect. */
  headers(): Record<string, string> {
    const headers = { ...this.spec.headers };
    for (const [header, name] of Object.entries(this.spec.headersFromEnv ?? {})) {
      const value = secretFromEnv(this.env, name);
      if (value === undefined) throw new Error(`header '${header}': neither ${name} nor ${name}_FILE is set`);
      headers[header] = value;
    }
    const auth = this.spec.auth;
    if (auth?.type === 'bearer') headers.Authorization = `Bearer ${this.secret('token', auth)}`;
    return headers;
  }

  /**
   * A fetch that adds the OAuth access token to each request and, when the upstream answers 401,
   * drops the token, gets a fresh one and retries once. Undefined without OAuth.
   */
  fetch(): typeof fetch | undefined {
    const tokens = this.tokens;
    if (tokens === undefined) return undefined;
    return async (input, init) => {
      const send = async (token: string) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        return fetch(input, { ...init, headers });
      };
      const token = await tokens.token();
      const response = await send(token);
      // A body that is a stream cannot be sent twice; the transport sends strings, so this is the rule.
      if (response.status !== 401 || (init?.body !== undefined && typeof init.body !== 'string')) return response;
      tokens.invalidate(token);
      await response.body?.cancel().catch(() => {});
      return send(await tokens.token());
    };
  }

  private secret(key: 'token' | 'clientSecret', source: Record<string, unknown>): string {
    const inline = source[key];
    if (typeof inline === 'string') return inline;
    const envName = source[`${key}Env`];
    if (typeof envName === 'string') {
      const value = secretFromEnv(this.env, envName);
      if (value === undefined) throw new Error(`auth.${key}Env: neither ${envName} nor ${envName}_FILE is set`);
      return value;
    }
    const file = resolve(this.baseDir, String(source[`${key}File`]));
    try {
      const value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      if (value === '') throw new Error('empty');
      return value;
    } catch (error) {
      throw new Error(
        `auth.${key}File: cannot read a secret from '${file}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }
}
