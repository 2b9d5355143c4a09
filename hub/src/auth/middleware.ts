import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Principal } from '../policy/index.ts';
import type { Authenticator } from './authenticator.ts';

/** Probes stay open (orchestrators call them without credentials); everything else needs a principal. */
export const PUBLIC_PATHS: readonly string[] = ['/health', '/ready', '/metrics'];
const METADATA_PATH = '/.well-known/oauth-protected-resource';

const PRINCIPAL_KEY = 'switchboard/principal' as never;
const AUTH_INFO_KEY = 'switchboard/authInfo' as never;

/**
 * Hono middleware: resolves the caller's principal before any route runs, or answers 401 with a
 * `WWW-Authenticate` challenge. Register it before the routes it guards (Hono runs handlers in order).
 */
export function authMiddleware(authenticator: Authenticator, publicPaths: readonly string[] = PUBLIC_PATHS): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (publicPaths.includes(path) || path === METADATA_PATH || path.startsWith(`${METADATA_PATH}/`)) return next();
    const outcome = await authenticator.authenticate(c.req.raw);
    if (outcome instanceof Response) return outcome;
    c.set(PRINCIPAL_KEY, outcome.principal as never);
    if (outcome.authInfo !== undefined) c.set(AUTH_INFO_KEY, outcome.authInfo as never);
    await next();
  };
}

/** The principal the auth middleware resolved for this request (undefined on public paths). */
export function principalOfContext(c: Context): Principal | undefined {
  return c.get(PRINCIPAL_KEY) as Principal | undefined;
}

/** The verified token info, to pass on to the MCP handler (`handler.fetch(req, { authInfo })`). */
export function authInfoOfContext(c: Context): AuthInfo | undefined {
  return c.get(AUTH_INFO_KEY) as AuthInfo | undefined;
}

/** Serves RFC 9728 metadata at the root and path-aware (`…/mcp`) well-known URLs, when tokens are required. */
export function mountProtectedResourceMetadata(app: Hono, authenticator: Authenticator): void {
  if (authenticator.mode === 'none') return;
  const answer = (c: Context) => c.json(authenticator.protectedResourceMetadata(c.req.raw), 200, { 'Access-Control-Allow-Origin': '*' });
  app.get(METADATA_PATH, answer);
  app.get(`${METADATA_PATH}/*`, answer);
}
