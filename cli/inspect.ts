import { parseArgs } from 'node:util';
import { decideTool, factsOf, resolveView } from '@switchboard/hub';
import { startHub } from './start-hub.ts';
import { UsageError } from './usage.ts';

function options(argv: string[]) {
  return parseArgs({ args: argv, options: { config: { type: 'string' }, json: { type: 'boolean' } }, strict: true }).values;
}

/**
 * `switchboard tools [--profile NAME]`: every tool the hub serves (or a profile shows), with the first
 * line of its description; a name the hub had to rewrite (too long, characters clients refuse, a
 * collision) is shown with the upstream's own name beside it.
 */
export async function listTools(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, json: { type: 'boolean' }, profile: { type: 'string' } },
    strict: true,
  });
  const hub = await startHub(values.config, { waitForAllUpstreams: true });
  try {
    const view = resolveView(hub, values.profile, undefined);
    if ('error' in view) throw new UsageError(view.error);
    const tools = hub.listTools().filter((tool) => view.admits(factsOf(hub, tool)));
    const rows = tools.map((tool) => {
      const origin = hub.pool.names.resolve('tool', tool.name);
      return {
        name: tool.name,
        description: (tool.description ?? '').split('\n')[0] ?? '',
        ...(origin ? { upstream: origin.upstream, original: origin.original, rewritten: origin.rewritten } : {}),
      };
    });
    if (values.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else
      for (const row of rows) {
        const renamed = row.rewritten ? `  [${row.upstream}: ${row.original}]` : '';
        process.stdout.write(`${row.name.padEnd(32)} ${row.description}${renamed}\n`);
      }
  } finally {
    await hub.close();
  }
}

/** `switchboard roles`: each role, its allow/deny globs, and the catalogue tools they grant. */
export async function listRoles(argv: string[]): Promise<void> {
  const values = options(argv);
  const hub = await startHub(values.config, { waitForAllUpstreams: true });
  try {
    const names = hub.listTools().map((tool) => tool.name);
    const roles = hub.roles.map((role) => ({
      name: role.name,
      description: role.description,
      allow: role.tools.allow,
      deny: role.tools.deny,
      effective: names.filter((name) => decideTool(role.name, role.tools, name).allowed),
    }));
    if (values.json) process.stdout.write(`${JSON.stringify(roles, null, 2)}\n`);
    else
      for (const role of roles) {
        process.stdout.write(`agent__${role.name}: ${role.description.split('\n')[0]}\n  allow: ${role.allow.join(', ') || '-'}\n`);
        process.stdout.write(`  deny: ${role.deny.join(', ') || '-'}\n  effective: ${role.effective.join(', ') || '(none connected)'}\n`);
      }
  } finally {
    await hub.close();
  }
}
