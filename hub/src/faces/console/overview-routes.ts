import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { Hub } from '../../hub.ts';
import { handle, isAdmin } from './access.ts';
import type { ConsoleRouteOptions } from './catalog-routes.ts';
import type { UpstreamStats } from './upstream-stats.ts';

let version: string | undefined;
function hubVersion(): string {
  version ??= (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
}

/** `GET /v1/overview`: the hub (version, uptime, stores) and every upstream with its state and recent traffic. */
export function mountOverviewRoutes(app: Hono, hub: Hub, stats: UpstreamStats, options: ConsoleRouteOptions): void {
  app.get(
    '/v1/overview',
    handle(async (c) => {
      const principal = options.principalOf(c);
      const status = hub.status();
      const traffic = await stats.of(status.upstreams.map((u) => u.name));
      return c.json({
        hub: {
          name: status.name,
          version: hubVersion(),
          node: process.version,
          uptimeSeconds: status.uptimeSeconds,
          ready: status.ready,
          tools: status.tools,
          roles: status.roles,
          callsInFlight: hub.callsInFlight,
          stores: { tasks: hub.tasks.scheduler.store.kind, audit: hub.auditStore.kind },
          authMode: hub.authenticator.mode,
        },
        principal: { ...principal, admin: isAdmin(principal) },
        sampleMs: stats.sampleMs,
        upstreams: status.upstreams.map((upstream) => ({ ...upstream, traffic: traffic.get(upstream.name) })),
      });
    }, options.onError),
  );
}
