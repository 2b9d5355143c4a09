import { posix } from 'node:path';
import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import { isInside } from '../confine.ts';
import type { ShellDeps } from '../deps.ts';
import { execute, runText } from '../executor.ts';
import { RunOutputSchema, runOptionFields } from './schemas.ts';

/** Registered only when the policy names an interpreter and a script directory. */
export function runScriptTool(deps: ShellDeps, scripts: { interpreter: string; dir: string }) {
  return defineTool({
    name: 'run_script',
    title: 'Run a vetted script',
    description: `Runs a script from ${scripts.dir} with ${scripts.interpreter}, here only. Scripts are chosen by name from that directory (which no command or copy may write); arguments follow the same rules as run. ${deps.scope}`,
    input: z.strictObject({
      script: z.string().min(1).max(255).describe(`file name (or relative path) inside ${scripts.dir}`),
      args: z.array(z.string()).max(1000).default([]).describe('arguments after the script path, passed as-is'),
      ...runOptionFields,
    }),
    output: RunOutputSchema,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run({ script, args, ...options }, { signal }) {
      if (script.includes('\0') || posix.isAbsolute(script))
        throw new ToolError('INVALID_ARGUMENT', 'script must be a relative name inside the script directory', 'script');
      const path = posix.join(scripts.dir, script);
      const backend = deps.local.backend;
      const real = await backend.realpath(path).catch(() => undefined);
      if (!isInside(scripts.dir, path) || (real !== undefined && !isInside(scripts.dir, real)))
        throw new ToolError('ACL_DENIED', `script '${script}' is outside the script directory`, 'script');
      if (real === undefined || (await backend.isDirectory(real)))
        throw new ToolError('NOT_FOUND', `script '${script}' does not exist in ${scripts.dir}`, 'script');
      const executable = { name: posix.basename(scripts.interpreter), path: scripts.interpreter };
      const result = await execute(deps, deps.local, { argv: [executable.name, real, ...args], ...options }, signal, {
        executable,
        trusted: 1,
      });
      return { structured: result, text: runText(result) };
    },
  });
}
