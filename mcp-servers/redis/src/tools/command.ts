import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import { checkRawCommand } from '../commands.ts';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';

/** Registered only when the operator enables raw commands (`--raw-commands`). */
export function commandTool({ backend, config, scope }: RedisDeps, allowed: readonly string[]) {
  const allowedSet = new Set(allowed);
  return defineTool({
    name: 'command',
    title: 'Run an allowed Redis command',
    description: `Runs one Redis command line, e.g. ["HLEN", "key"]. Only these commands: ${allowed.join(', ')}. Every key argument must pass the prefix rule; FLUSHALL, CONFIG, EVAL, KEYS and other server-wide or scripting commands are always refused. ${scope}`,
    input: z.strictObject({
      argv: z
        .array(z.string())
        .min(1)
        .max(config.maxItems * 2 + 1)
        .describe('the command name, then its arguments, each a string'),
    }),
    output: z.object({ command: z.string(), reply: z.unknown() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async run({ argv }) {
      const { name, args } = checkRawCommand(argv, {
        allowed: allowedSet,
        prefixes: config.prefixes,
        readOnly: config.readOnly,
        maxValueBytes: config.maxValueBytes,
      });
      const reply = await onRedis(() => backend.command(name, args), 'argv');
      return { structured: { command: name, reply }, text: JSON.stringify(reply) };
    },
  });
}
