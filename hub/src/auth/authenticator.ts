import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
  verifyBearerToken,
} from '@modelcontextprotocol/server';
import type { Logger } from '@switchboard/kit';
import type { AuthConfig } from '../config/index.ts';
import type { Policy, Principal } from '../policy/index.ts';
import { matchApiKey } from './api-keys.ts';
import { createJwtVerifier, type VerifiedJwt } from './jwt.ts';

/**
 * Query parameters that would carry a token; refused, because URLs end up in logs and histories.
 * The answer is a 401 challenge like any other missing credential, so a client learns where to
 * send the token (the Authorization header) from the same `WWW-Authenticate` it already handles.
 */
const QUERY_TOKEN_PARAMS = ['access_token', 'token', 'api_key', 'apikey', 'key'];
/** API keys do not expire; the SDK's bearer check wants an expiry, so they get a rolling one. */
const API_KEY_LIFETIME_SEC = 3600;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface AuthenticatorOptions {
  auth: AuthConfig;
  policy: Policy;
  /** Who HTTP callers are when `auth: none`: the local user. */
  localPrincipal: Principal;
  baseDir: string;
  source: string;
  logger: Logger;
}

/** The principal an authenticated request carries to MCP handlers (`authInfo.extra.principal`). */
export function principalOfAuthInfo(authInfo: AuthInfo | undefined): Principal | undefined {
  const principal = authInfo?.extra?.principal;
  return principal !== null && typeof principal === 'object' ? (principal as Principal) : undefined;
}

/**
 * Turns an HTTP request into a principal, or into the answer that refuses it: 401 with a
 * `WWW-Authenticate: Bearer … resource_metadata="…"` challenge (the SDK's helpers build both).
 */
export class Authenticator implements OAuthTokenVerifier {
  readonly mode: 'none' | 'required';
  private readonly verifyJwt: ((token: string) => Promise<VerifiedJwt>) | undefined;

  constructor(private readonly options: AuthenticatorOptions) {
    this.mode = options.auth.mode;
    this.verifyJwt = options.auth.jwt && createJwtVerifier(options.auth.jwt, options.baseDir, options.source);
    if (this.mode === 'required' && options.auth.apiKeys.length === 0 && options.auth.jwt === undefined)
      options.logger.warn('auth is required but no apiKeys or jwt are configured: every HTTP call will be refused (docs/security.md)');
  }

  /** The public URL of `/mcp`: configured, else this request's origin. */
  resourceUrl(request: Request): URL {
    return new URL(this.options.auth.resource ?? `${new URL(request.url).origin}/mcp`);
  }

  /**
   * RFC 9728 Protected Resource Metadata for this hub. Built here rather than with the SDK's
   * buildOAuthProtectedResourceMetadata, which needs the authorization server's full RFC 8414
   * metadata: a hub on API keys has no authorization server, and one on JWTs knows only the issuer.
   */
  protectedResourceMetadata(request: Request): Record<string, unknown> {
    const { auth } = this.options;
    const issuer = auth.jwt?.issuer;
    const servers = auth.authorizationServers ?? (issuer !== undefined && URL.canParse(issuer) ? [issuer] : []);
    return {
      resource: this.resourceUrl(request).href,
      ...(servers.length > 0 ? { authorization_servers: servers } : {}),
      bearer_methods_supported: ['header'],
      resource_name: 'Switchboard hub',
    };
  }

  async authenticate(request: Request): Promise<{ principal: Principal; authInfo?: AuthInfo } | Response> {
    if (this.mode === 'none') return { principal: this.options.localPrincipal };
    const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(this.resourceUrl(request));
    try {
      const query = new URL(request.url).searchParams;
      if (QUERY_TOKEN_PARAMS.some((name) => query.has(name)))
        throw new OAuthError(OAuthErrorCode.InvalidToken, 'tokens in the URL query string are refused; send Authorization: Bearer <token>');
      const authInfo = await verifyBearerToken(request.headers.get('authorization'), { verifier: this, resourceMetadataUrl });
      const principal = principalOfAuthInfo(authInfo) as Principal;
      return { principal, authInfo };
    } catch (error) {
      this.options.logger.warn(
        { reason: (error as Error).message, path: new URL(request.url).pathname },
        'http request refused: authentication',
      );
      return bearerAuthChallengeResponse(error, { resourceMetadataUrl });
    }
  }

  /** OAuthTokenVerifier: an API key (by hash) or a JWT, mapped to a principal with a known role. */
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const { auth, policy } = this.options;
    const key = matchApiKey(auth.apiKeys, token);
    if (key !== undefined) {
      const principal: Principal = { id: `key:${key.id}`, role: key.role, kind: 'api-key' };
      return {
        token,
        clientId: principal.id,
        scopes: [],
        expiresAt: Math.floor(Date.now() / 1000) + API_KEY_LIFETIME_SEC,
        extra: { principal },
      };
    }
    if (this.verifyJwt === undefined || !JWT_SHAPE.test(token)) throw new OAuthError(OAuthErrorCode.InvalidToken, 'unknown API key');
    const jwt = await this.verifyJwt(token);
    const role = jwt.roles.find((name) => policy.has(name)) ?? auth.jwt?.defaultRole;
    if (role === undefined)
      throw new OAuthError(OAuthErrorCode.InvalidToken, `token's '${auth.jwt?.roleClaim}' claim names no role of this hub`);
    const principal: Principal = { id: `jwt:${jwt.subject}`, role, kind: 'jwt' };
    return { token, clientId: principal.id, scopes: [], expiresAt: jwt.expiresAt, extra: { principal } };
  }
}
