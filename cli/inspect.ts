import { parseArgs } from 'node:util';
import { decideTool } from '@switchboard/hub';
import { startHub } from './start-hub.ts';

function options(argv: string[]) {
  return parseArgs({ args: argv, options: { config: { type: 'string' }, json: { type: 'boolean' } }, strict: true }).values;
}

/** `switchboard tools`: every tool the hub serves, with the first line of its description. */
export async function listTools(argv: string[]): Promise<void> {
  const values = options(argv);
  const hub = await startHub(values.config);
  try {
    const tools = hub.listTools();
    if (values.json) process.stdout.write(`${JSON.stringify(tools, null, 2)}\n`);
    else for (const tool of tools) process.stdout.write(`${tool.name.padEnd(32)} ${(tool.description ?? '').split('\n')[0]}\n`);
  } finally {
    await hub.close();
  }
}

/** `switchboard roles`: each role, its allow/deny globs, and the catalogue tools they grant. */
export async function listRoles(argv: string[]): Promise<void> {
  const values = options(argv);
  const hub = await startHub(values.config);
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
