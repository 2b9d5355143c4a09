import { z } from 'zod';
import { MAX_ARGS } from '../argv-guard.ts';

export const RunOutputSchema = z.object({
  host: z.string().optional().describe('the host it ran on; absent for this machine'),
  argv: z.array(z.string()),
  cwd: z.string(),
  exitCode: z.number().int().nullable().describe('null when a signal ended it'),
  signal: z.string().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  durationMs: z.number(),
  timedOut: z.boolean().describe('killed (with its whole process group) at the timeout'),
  truncated: z
    .object({ stdout: z.boolean(), stderr: z.boolean() })
    .describe('true when the stream was longer than the cap; the rest was dropped'),
});

export function hostField(names: readonly string[]) {
  const [first, ...rest] = names;
  return first === undefined
    ? z.never().optional().describe('no remote hosts are configured')
    : z
        .enum([first, ...rest])
        .optional()
        .describe(`run on this configured SSH host instead of here: ${names.join(', ')}`);
}

export function argvField(scope: string) {
  return z
    .array(z.string())
    .min(1)
    .max(MAX_ARGS)
    .describe(
      `the command and its arguments, each element passed to the program as-is (no shell: quotes, $, ;, |, * have no meaning). ${scope}`,
    );
}

export const runOptionFields = {
  cwd: z.string().max(4096).optional().describe('working directory, inside a root (default: the first root)'),
  stdin: z.string().optional().describe('text fed to the command on stdin (default: empty)'),
  timeoutMs: z.number().int().positive().optional().describe('kill the command (and everything it started) after this long'),
  env: z.record(z.string(), z.string()).optional().describe('extra environment variables; only names the policy lists in env.callerMay'),
};
