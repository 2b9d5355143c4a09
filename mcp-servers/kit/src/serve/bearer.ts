import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/**
 * Requires `Authorization: Bearer <token>` on the routes it guards. A server started over HTTP by
 * `switchboard up` (or beside the hub in a cluster) gets a token in SWITCHBOARD_SERVER_TOKEN(_FILE):
 * only the hub, which knows it, can call it, so nobody else on the host can go around the hub's
 * policy and audit. Compares SHA-256 digests in constant time; never echoes what was sent.
 */
export function bearerGuard(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const sent = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (sent === undefined || !timingSafeEqual(digest(sent), expected)) {
      return c.json(
        { jsonrpc: '2.0', error: { code: -32001, message: 'this server needs the bearer token it was started with' }, id: null },
        401,
        { 'www-authenticate': 'Bearer' },
      );
    }
    await next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
