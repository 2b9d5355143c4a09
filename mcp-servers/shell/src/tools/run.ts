import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { ShellDeps } from '../deps.ts';
import { execute, placeOf, runText } from '../executor.ts';
import { argvField, hostField, RunOutputSchema, runOptionFields } from './schemas.ts';

export function runTool(deps: ShellDeps) {
  return defineTool({
    name: 'run',
    title: 'Run a command',
    description: `Runs one allowed command as an argv array, never through a shell, and answers its exit code, stdout, stderr and duration. Output beyond the cap is dropped and flagged in \`truncated\`; a command past its timeout is killed with everything it started. Refused: commands outside the allowlist, denied subcommands and flags, paths outside the roots. ${deps.scope}`,
    input: z.strictObject({ argv: argvField(deps.scope), ...runOptionFields, host: hostField(deps.hosts.names) }),
    output: RunOutputSchema,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run({ host, ...request }, { signal }) {
      const place = await placeOf(deps, host);
      const result = await execute(deps, place, request, signal);
      return { structured: result, text: runText(result) };
    },
  });
}
