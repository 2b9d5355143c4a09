import { z } from 'zod';
import { type Policy, PolicySchema } from './policy.ts';

const MiB = 1024 * 1024;

export const ShellConfigSchema = z.object({
  roots: z
    .array(z.string().regex(/^\//, 'an absolute path'))
    .min(1, 'at least one --root is required')
    .describe('directories cwd and path arguments are confined to'),
  allow: z
    .array(z.string().min(1))
    .min(1, 'name at least one executable with --allow (e.g. --allow git,ls)')
    .describe('executables, resolved at start'),
  policy: PolicySchema.default(PolicySchema.parse({})),
  policyFile: z.string().optional(),
  protect: z.array(z.string().regex(/^\//, 'an absolute path')).default([]).describe('paths no cwd, argument or copy may reach'),
  mock: z.boolean().default(false),
  script: z.string().optional().describe('mock only: YAML list of scripted results'),
  timeoutMs: z.number().int().positive().default(30_000),
  maxTimeoutMs: z.number().int().positive().default(300_000),
  maxOutputBytes: z.number().int().positive().default(MiB).describe('per stream; the rest is counted and flagged, not kept'),
  maxStdinBytes: z.number().int().positive().default(MiB),
  maxCopyBytes: z
    .number()
    .int()
    .positive()
    .default(64 * MiB),
  concurrency: z.number().int().positive().max(64).default(4),
});
export type ShellConfig = z.infer<typeof ShellConfigSchema>;
export type ShellConfigInput = z.input<typeof ShellConfigSchema>;

/** Limits: flags win over the policy file, which wins over the defaults. */
export function withPolicyLimits(config: ShellConfig, policy: Policy, flags: Partial<ShellConfig>): ShellConfig {
  return { ...config, ...definedOnly(policy.limits), ...definedOnly(flags) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The scope as the model sees it in tool descriptions. */
export function scopeText(config: ShellConfig, names: readonly string[]): string {
  const hosts = Object.keys(config.policy.hosts);
  return `Allowed commands: ${names.join(', ')}. cwd and path arguments must stay inside ${config.roots.join(', ')} (relative cwd resolves against ${config.roots[0]}). Timeout ${config.timeoutMs} ms by default, at most ${config.maxTimeoutMs}; stdout and stderr keep ${config.maxOutputBytes} bytes each.${hosts.length > 0 ? ` Remote hosts (pass host): ${hosts.join(', ')}.` : ''}`;
}
