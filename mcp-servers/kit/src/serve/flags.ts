import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { ToolError } from '../errors.ts';

export const TransportFlagsSchema = z.object({
  transport: z.enum(['stdio', 'http']).default('stdio').describe('stdio (default) or Streamable HTTP'),
  port: z.coerce.number().int().min(0).max(65535).default(0).describe('HTTP port; 0 picks a free one'),
  host: z.string().min(1).default('127.0.0.1').describe('HTTP bind address'),
});
export type TransportFlags = z.infer<typeof TransportFlagsSchema>;

type Options = NonNullable<ParseArgsConfig['options']>;

const transportOptions: Options = {
  transport: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * Parses a server's flags: the shared transport flags plus the server's own. Unknown flags are an
 * error naming the flag, so a typo never silently runs a server with a wider scope than intended.
 */
export function parseServerFlags(argv: string[], own: Options): { values: Record<string, unknown>; transport: TransportFlags } {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...transportOptions, ...own }, allowPositionals: false, strict: true }));
  } catch (error) {
    throw new ToolError('INVALID_CONFIG', (error as Error).message);
  }
  const parsed = TransportFlagsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ToolError('INVALID_CONFIG', `--${issue?.path.join('.')}: ${issue?.message}`, issue?.path.join('.'));
  }
  return { values, transport: parsed.data };
}
