import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import { effectiveRule } from '../default-rules.ts';
import type { ShellDeps } from '../deps.ts';
import { placeOf } from '../executor.ts';
import { hostField } from './schemas.ts';

const CommandSchema = z.object({
  name: z.string(),
  path: z.string().nullable().describe('absolute path resolved at start; null when not found'),
  subcommands: z.array(z.string()).optional(),
  denySubcommands: z.array(z.string()).optional(),
  denyFlags: z.array(z.string()).optional(),
  maxArgs: z.number().int().optional(),
  refused: z.string().optional(),
});

export function whichTool(deps: ShellDeps) {
  return defineTool({
    name: 'which',
    title: 'What may run here',
    description:
      'Lists the commands this server may run (here or on a host), where each resolved, and its argument rules; plus the roots and limits. Use it before run to avoid refused calls.',
    input: z.strictObject({
      name: z.string().optional().describe('just this command'),
      host: hostField(deps.hosts.names),
    }),
    output: z.object({
      host: z.string().optional(),
      roots: z.array(z.string()),
      commands: z.array(CommandSchema),
      limits: z.object({
        timeoutMs: z.number(),
        maxTimeoutMs: z.number(),
        maxOutputBytes: z.number(),
        maxStdinBytes: z.number(),
        concurrency: z.number(),
      }),
      hosts: z.array(z.string()),
      scripts: z.boolean().describe('whether run_script is available'),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ name, host }) {
      const place = await placeOf(deps, host);
      const commands = [...place.executables.values()]
        .filter((entry) => name === undefined || entry.name === name)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((entry) => {
          const rule = effectiveRule(entry.name, deps.rules[entry.name]);
          return {
            name: entry.name,
            path: entry.path ?? null,
            ...(rule?.subcommands ? { subcommands: rule.subcommands } : {}),
            ...(rule && rule.denySubcommands.length > 0 ? { denySubcommands: rule.denySubcommands } : {}),
            ...(rule && rule.denyFlags.length > 0 ? { denyFlags: rule.denyFlags } : {}),
            ...(rule?.maxArgs === undefined ? {} : { maxArgs: rule.maxArgs }),
            ...(rule?.refuse === undefined ? {} : { refused: rule.refuse }),
          };
        });
      const { timeoutMs, maxTimeoutMs, maxOutputBytes, maxStdinBytes, concurrency } = deps.config;
      const structured = {
        ...(host === undefined ? {} : { host }),
        roots: [...place.roots],
        commands,
        limits: { timeoutMs, maxTimeoutMs, maxOutputBytes, maxStdinBytes, concurrency },
        hosts: deps.hosts.names,
        scripts: deps.scripts !== undefined,
      };
      const lines = commands.map((c) => `${c.name}: ${c.path ?? '(not found)'}${c.refused ? ` — refused: ${c.refused}` : ''}`);
      return { structured, text: `${lines.join('\n') || '(no such command)'}\nroots: ${place.roots.join(', ')}` };
    },
  });
}
