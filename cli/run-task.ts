import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startHub } from './start-hub.ts';
import { UsageError } from './usage.ts';

/** `switchboard run "<task>" [--role R]`: one task through a role agent; exit 1 when it fails. */
export async function runTask(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { role: { type: 'string', default: 'reader' }, config: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const task = positionals.join(' ').trim();
  if (task === '') throw new UsageError('switchboard run "<task>": the task is missing');
  const hub = await startHub(values.config);
  try {
    const tool = `agent__${values.role}`;
    if (!hub.has(tool))
      throw new UsageError(`--role: no role '${values.role}' (roles: ${hub.roles.map((r) => r.name).join(', ') || 'none'})`);
    const result = await hub.callTool(tool, { task }, { correlationId: randomUUID(), principal: hub.localPrincipal });
    const text = result.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n');
    (result.isError ? process.stderr : process.stdout).write(`${text}\n`);
    process.exitCode = result.isError ? 1 : 0;
  } finally {
    await hub.close();
  }
}
