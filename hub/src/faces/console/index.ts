import type { Context, Hono } from 'hono';
import type { Hub } from '../../hub.ts';
import type { Principal } from '../../policy/index.ts';
import { mountAuditRoutes } from './audit-routes.ts';
import { mountCatalogRoutes } from './catalog-routes.ts';
import { mountOverviewRoutes } from './overview-routes.ts';
import { mountRoleRoutes } from './roles-routes.ts';
import { mountTaskDetailRoutes } from './task-detail-routes.ts';
import { UpstreamStats } from './upstream-stats.ts';

export { ADMIN_ROLE_NAME, isAdmin } from './access.ts';
export { CONSOLE_CSP, CONSOLE_PATH, consoleBundleDir, mountConsoleBundle } from './bundle.ts';
export { UpstreamStats } from './upstream-stats.ts';

export interface ConsoleOptions {
  /** The caller, as the auth middleware resolved it. */
  principalOf(c: Context): Principal;
  /** Sampling interval of the overview's traffic series. */
  sampleMs?: number;
}

/**
 * The web console's JSON endpoints under /v1, shared with scripts; mount them after the auth
 * middleware, which guards them. The static bundle is mountConsoleBundle's (docs/console.md).
 */
export function mountConsoleApi(app: Hono, hub: Hub, options: ConsoleOptions): { close(): void } {
  const stats = new UpstreamStats(
    hub.telemetry.metrics.registry,
    options.sampleMs !== undefined ? { intervalMs: options.sampleMs } : {},
  ).start();
  const routes = { principalOf: options.principalOf, onError: (error: unknown) => hub.logger.error({ err: error }, 'console API failed') };
  mountOverviewRoutes(app, hub, stats, routes);
  mountCatalogRoutes(app, hub, routes);
  mountRoleRoutes(app, hub, routes);
  mountAuditRoutes(app, hub, routes);
  mountTaskDetailRoutes(app, hub, routes);
  return { close: () => stats.stop() };
}
