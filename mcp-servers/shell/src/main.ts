import { existsSync, realpathSync } from 'node:fs';
import { delimiter, posix, resolve } from 'node:path';
import { closeOnSignals, createLogger, parseServerFlags, runServer, ToolError } from '@switchboard/kit';
import { type ShellConfig, ShellConfigSchema, withPolicyLimits } from './config.ts';
import { loadPolicy } from './policy.ts';
import { createRuntime } from './runtime.ts';
import { createServer } from './server.ts';

export const USAGE = `switchboard server shell --root DIR [--root DIR ...] --allow git,ls,node [--policy FILE]
    [--protect PATH ...] [--timeout-ms N] [--max-timeout-ms N] [--max-output-bytes N]
    [--max-stdin-bytes N] [--max-copy-bytes N] [--concurrency N] [--mock [--script FILE]]
    [--transport stdio|http] [--port N] [--host H]
  env: SHELL_ROOTS, SHELL_ALLOW (lists separated by '${delimiter}' / ','),
       SWITCHBOARD_PROTECT (paths separated by '${delimiter}': the hub's config, roles, audit store, keys)
  The policy file (YAML) holds argument rules, the environment allowlist, limits, run_script and SSH hosts:
  see docs/servers/shell.md.`;

const numericFlags = ['timeout-ms', 'max-timeout-ms', 'max-output-bytes', 'max-stdin-bytes', 'max-copy-bytes', 'concurrency'] as const;
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Flags, env and the policy file into a validated config. Roots become absolute real paths. */
export function parseShellArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { config: ShellConfig; transport: ReturnType<typeof parseServerFlags>['transport'] } {
  const { values, transport } = parseServerFlags(argv, {
    root: { type: 'string', multiple: true },
    allow: { type: 'string', multiple: true },
    policy: { type: 'string' },
    protect: { type: 'string', multiple: true },
    mock: { type: 'boolean' },
    script: { type: 'string' },
    ...Object.fromEntries(numericFlags.map((flag) => [flag, { type: 'string' as const }])),
  });
  const mock = values.mock === true;
  const place = (path: string) => (mock ? posix.resolve('/', path) : absoluteReal(path));
  const roots = ((values.root as string[] | undefined) ?? env.SHELL_ROOTS?.split(delimiter).filter(Boolean) ?? []).map(place);
  const allow = ((values.allow as string[] | undefined) ?? (env.SHELL_ALLOW ? [env.SHELL_ALLOW] : [])).flatMap((list) =>
    list
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  const policyFile = values.policy === undefined ? undefined : absoluteReal(values.policy as string);
  const policy = policyFile === undefined ? undefined : loadPolicy(policyFile);
  const protect = [
    ...((values.protect as string[] | undefined) ?? []),
    ...(env.SWITCHBOARD_PROTECT?.split(delimiter).filter(Boolean) ?? []),
  ].map(place);
  const flags = Object.fromEntries(
    numericFlags.filter((flag) => values[flag] !== undefined).map((flag) => [camel(flag), Number(values[flag])]),
  );
  const parsed = ShellConfigSchema.safeParse({
    roots,
    allow: [...allow, ...(policy?.allow ?? [])],
    ...(policy ? { policy } : {}),
    ...(policyFile ? { policyFile } : {}),
    protect,
    mock,
    ...(values.script === undefined ? {} : { script: resolve(values.script as string) }),
    ...flags,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const flag = key === 'roots' ? 'root' : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new ToolError('INVALID_CONFIG', `--${flag}: ${issue?.message}`, key);
  }
  if (parsed.data.script !== undefined && !parsed.data.mock)
    throw new ToolError('INVALID_CONFIG', '--script works only with --mock', 'script');
  const config = withPolicyLimits(parsed.data, parsed.data.policy, flags as Partial<ShellConfig>);
  const check = ShellConfigSchema.safeParse(config);
  if (!check.success)
    throw new ToolError('INVALID_CONFIG', `limits: ${check.error.issues[0]?.path.join('.')}: ${check.error.issues[0]?.message}`, 'limits');
  return { config, transport };
}

function absoluteReal(path: string): string {
  const absolute = resolve(path);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { config, transport } = parseShellArgs(argv);
  const logger = createLogger('shell');
  const runtime = await createRuntime(config);
  const missing = [...runtime.local.executables.values()].filter((entry) => entry.path === undefined).map((entry) => entry.name);
  if (missing.length > 0) logger.warn({ missing }, 'some allowed commands were not found on PATH; calls to them answer NOT_FOUND');
  const running = await runServer({ factory: () => createServer(runtime).server, transport, logger, close: () => runtime.close() });
  logger.info(
    {
      roots: config.roots,
      commands: Object.fromEntries([...runtime.local.executables.values()].map((entry) => [entry.name, entry.path ?? null])),
      hosts: runtime.hosts.names,
      backend: runtime.local.backend.kind,
    },
    'shell server ready',
  );
  closeOnSignals(running, logger);
}
