import type { Hono } from 'hono';
import type { Hub } from '../../hub.ts';
import { handle, isAdmin } from './access.ts';
import type { ConsoleRouteOptions } from './catalog-routes.ts';

/** `GET /v1/roles`: each role's allow/deny globs, argument rules, limits, quotas and the tools they grant now. */
export function mountRoleRoutes(app: Hono, hub: Hub, options: ConsoleRouteOptions): void {
  app.get(
    '/v1/roles',
    handle(async (c) => {
      const principal = options.principalOf(c);
      // A non-admin sees its own role only: other roles' rules are not its business.
      const names = isAdmin(principal) ? hub.policy.roleNames() : hub.policy.roleNames().filter((name) => name === principal.role);
      const everyTool = hub.listTools().map((tool) => tool.name);
      const roles = names.map((name) => {
        const access = hub.policy.role(name);
        const yaml = hub.roles.find((role) => role.name === name);
        const quotas = hub.config.quotas.filter((quota) => quota.roles === undefined || quota.roles.includes(name));
        return {
          name,
          origin: access?.origin ?? 'unknown',
          description: yaml?.description ?? null,
          agentTool: yaml ? `agent__${name}` : null,
          tools: { allow: access?.tools.allow ?? [], deny: access?.tools.deny ?? [] },
          arguments: access?.arguments ?? [],
          limits: yaml?.limits ?? null,
          playbooks: (yaml?.playbooks ?? []).map((p) => ({ name: p.name, description: p.description ?? null, match: p.match })),
          context: yaml?.context ?? null,
          quotas,
          effectiveTools: everyTool.filter((tool) => hub.policy.canSee({ id: `role:${name}`, role: name, kind: 'anonymous' }, tool)),
        };
      });
      return c.json({ roles });
    }, options.onError),
  );
}
