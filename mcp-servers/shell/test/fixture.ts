import { errorOfResult } from '@switchboard/kit';
import { type ShellConfigInput, ShellConfigSchema } from '../src/config.ts';
import { parsePolicy } from '../src/policy.ts';

/** The server's own environment in tests: secrets and an injection attempt that must never reach a command. */
export const SERVER_ENV = { SECRET_TOKEN: 'hunter2', LD_PRELOAD: '/tmp/evil.so', SB_TEST_PASS: 'passed-through', PATH: '/usr/bin:/bin' };

export const ALLOW = ['echo', 'true', 'false', 'pwd', 'printenv', 'cat', 'sleep', 'yes', 'git', 'find', 'tar', 'npm', 'npx', 'ls', 'sh'];

/** The test policy: one caller-settable variable, one passed through, small limits. */
export function testConfig(roots: string[], extra: Partial<ShellConfigInput> = {}, policyYaml = '') {
  const policy = parsePolicy(`env:\n  pass: [SB_TEST_PASS]\n  callerMay: [GREETING]\n${policyYaml}`);
  return ShellConfigSchema.parse({
    roots,
    allow: ALLOW,
    policy,
    timeoutMs: 5000,
    maxTimeoutMs: 20_000,
    maxOutputBytes: 1000,
    maxStdinBytes: 100,
    ...extra,
  });
}

export function code(result: { isError?: boolean; _meta?: Record<string, unknown> }): string | undefined {
  return errorOfResult(result)?.code;
}

export function field(result: { isError?: boolean; _meta?: Record<string, unknown> }): string | undefined {
  return errorOfResult(result)?.field;
}
