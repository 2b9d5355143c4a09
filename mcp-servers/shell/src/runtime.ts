import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '@switchboard/kit';
import type { ShellBackend } from './backend.ts';
import { createLocalBackend } from './backend-local.ts';
import { MockShellBackend } from './backend-mock.ts';
import { type ShellConfig, scopeText } from './config.ts';
import { DEFAULT_RULES } from './default-rules.ts';
import type { ShellDeps } from './deps.ts';
import { HostPool } from './hosts.ts';
import { Limiter } from './limiter.ts';
import { buildPlace } from './place.ts';

export interface ShellRuntime extends ShellDeps {
  close(): Promise<void>;
}

/**
 * The state every MCP server instance of this process shares: the resolved allowlist, the hosts'
 * connections, the concurrency limit, a private HOME. Built once at start (executables are
 * resolved here, never per call).
 */
export async function createRuntime(
  config: ShellConfig,
  options: { backend?: ShellBackend; connectHost?: (name: string) => Promise<ShellBackend>; serverEnv?: NodeJS.ProcessEnv } = {},
): Promise<ShellRuntime> {
  const backend =
    options.backend ??
    (config.mock
      ? config.script
        ? MockShellBackend.fromFile(config.roots, config.script)
        : new MockShellBackend(config.roots)
      : createLocalBackend());
  const home = backend.kind === 'local' ? mkdtempSync(join(tmpdir(), 'sb-shell-home-')) : '/mock/home';
  const protect = [...config.protect, ...config.policy.protect, ...(config.policyFile ? [config.policyFile] : [])];
  let scripts: ShellDeps['scripts'];
  if (config.policy.scripts !== undefined) {
    const interpreter = await backend.resolveExecutable(config.policy.scripts.interpreter);
    if (interpreter === undefined)
      throw new ToolError(
        'INVALID_CONFIG',
        `scripts.interpreter '${config.policy.scripts.interpreter}' was not found on PATH`,
        'scripts.interpreter',
      );
    const dir = await backend.realpath(config.policy.scripts.dir).catch(() => {
      throw new ToolError('INVALID_CONFIG', `scripts.dir '${config.policy.scripts?.dir}' does not exist`, 'scripts.dir');
    });
    // Scripts are vetted by whoever wrote the policy: no command or copy may change them.
    protect.push(dir);
    scripts = { interpreter, dir };
  }
  const allow = [...new Set([...config.allow, ...config.policy.allow])];
  const local = await buildPlace({ host: undefined, backend, allow, roots: config.roots, protect, home });
  const hosts = new HostPool(config, allow, options.connectHost);
  return {
    config,
    local,
    hosts,
    rules: { ...DEFAULT_RULES, ...config.policy.commands },
    limiter: new Limiter(config.concurrency),
    serverEnv: options.serverEnv ?? process.env,
    scope: scopeText(config, [...local.executables.keys()]),
    ...(scripts ? { scripts } : {}),
    async close() {
      await hosts.close();
      await backend.close();
      if (backend.kind === 'local') rmSync(home, { recursive: true, force: true });
    },
  };
}
