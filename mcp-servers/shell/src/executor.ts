import { ToolError } from '@switchboard/kit';
import { checkArgv } from './argv-guard.ts';
import type { RunOutcome } from './backend.ts';
import { effectiveRule } from './default-rules.ts';
import type { ShellDeps } from './deps.ts';
import { buildEnv, isForbiddenEnv } from './env.ts';
import { lookupExecutable, pathOf } from './executables.ts';
import type { Place } from './place.ts';

export interface RunRequest {
  argv: string[];
  cwd?: string;
  stdin?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface RunResult extends RunOutcome {
  host?: string;
  argv: string[];
  cwd: string;
}

/** The place a call names: this machine, or a configured host. */
export function placeOf(deps: ShellDeps, host: string | undefined): Promise<Place> {
  return host === undefined ? Promise.resolve(deps.local) : deps.hosts.place(host);
}

/** run_script's fixed part: its interpreter (not necessarily on the allowlist) and the script path. */
export interface Vetted {
  executable: { name: string; path: string };
  /** Leading arguments the server chose (the script path): no path check, no argument rule. */
  trusted: number;
}

/**
 * Every check, then the run: executable allowlist, argv shape and the command's rule, cwd and each
 * path argument confined, caller env names allowed, stdin and timeout within limits, a free slot.
 */
export async function execute(
  deps: ShellDeps,
  place: Place,
  request: RunRequest,
  signal: AbortSignal,
  vetted?: Vetted,
): Promise<RunResult> {
  const { config } = deps;
  const executable = vetted?.executable ?? lookupExecutable(place.executables, request.argv[0] as string, place.where);
  const argv = [executable.name, ...request.argv.slice(1)];
  checkArgv(argv, executable.name, vetted ? undefined : effectiveRule(executable.name, deps.rules[executable.name]));
  const cwd = await place.confinement.cwd(request.cwd);
  for (let index = 1 + (vetted?.trusted ?? 0); index < argv.length; index++)
    await place.confinement.argument(cwd, argv[index] as string, `argv.${index}`);
  for (const name of Object.keys(request.env ?? {})) {
    if (isForbiddenEnv(name) || !config.policy.env.callerMay.includes(name)) {
      const allowed = config.policy.env.callerMay.join(', ') || '(none)';
      throw new ToolError('ACL_DENIED', `environment variable ${name} may not be set by a call; allowed: ${allowed}`, `env.${name}`);
    }
  }
  if (request.stdin !== undefined && Buffer.byteLength(request.stdin) > config.maxStdinBytes)
    throw new ToolError('TOO_LARGE', `stdin is ${Buffer.byteLength(request.stdin)} bytes; the limit is ${config.maxStdinBytes}`, 'stdin');
  if (request.timeoutMs !== undefined && request.timeoutMs > config.maxTimeoutMs)
    throw new ToolError('INVALID_ARGUMENT', `timeoutMs may be at most ${config.maxTimeoutMs}`, 'timeoutMs');
  const file = pathOf(executable, place.where);
  const env = buildEnv(config.policy.env, deps.serverEnv, place.home, request.env);
  const outcome = await deps.limiter.run(signal, async () => {
    try {
      return await place.backend.run({
        file,
        argv,
        cwd,
        env,
        ...(request.stdin === undefined ? {} : { stdin: request.stdin }),
        timeoutMs: request.timeoutMs ?? config.timeoutMs,
        maxOutputBytes: config.maxOutputBytes,
        signal,
      });
    } catch (error) {
      if (error instanceof ToolError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        throw new ToolError('NOT_FOUND', `'${executable.name}' is no longer at ${executable.path} ${place.where}`, 'argv.0');
      if (code === 'EACCES')
        throw new ToolError('ACL_DENIED', `'${executable.name}' at ${executable.path} may not be executed by the server's user`, 'argv.0');
      throw new ToolError('INTERNAL', `${executable.name} could not be started${code ? ` (${code})` : ''}`, 'argv.0');
    }
  });
  return { ...(place.host === undefined ? {} : { host: place.host }), argv, cwd, ...outcome };
}

/** The short text rendering of a run. */
export function runText(result: RunResult): string {
  const status = result.timedOut
    ? `timed out after ${result.durationMs} ms (killed)`
    : result.exitCode === null
      ? `ended by ${result.signal}`
      : `exit ${result.exitCode}`;
  const parts = [`${status} (${Math.round(result.durationMs)} ms)`];
  if (result.stdout) parts.push(`--- stdout${result.truncated.stdout ? ' (truncated)' : ''}\n${result.stdout}`);
  if (result.stderr) parts.push(`--- stderr${result.truncated.stderr ? ' (truncated)' : ''}\n${result.stderr}`);
  return parts.join('\n');
}
