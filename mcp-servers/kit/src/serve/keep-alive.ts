import type { Server } from 'node:http';

/**
 * Node closes an idle keep-alive socket after 5 s. A client that sends on that socket just as it closes
 * (a busy machine makes that likely) gets `fetch failed` for a request the server never saw. Idle
 * sockets are cheap, so keep them for a minute, beyond any client's own idle timeout (undici: 4 s,
 * proxies and load balancers: typically 60 s), and let headers take a second longer, as Node requires.
 */
export const KEEP_ALIVE_MS = 65_000;

export function keepAliveLonger(server: Pick<Server, 'keepAliveTimeout' | 'headersTimeout'>): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
}
