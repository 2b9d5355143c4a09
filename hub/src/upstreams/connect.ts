import { delimiter, resolve } from 'node:path';
import type { Transport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { UpstreamSpec } from '../config/index.ts';
import { cancellableFetch } from './cancellable-fetch.ts';
import type { UpstreamCredentials } from './credentials.ts';
import { DirectHttpTransport } from './direct-http.ts';

export interface ConnectContext {
  /** How to start this program itself: argv prefix for built-in servers, e.g. [node, bin/switchboard.mjs]. */
  selfCommand: string[];
  /** Directory relative `cwd`s resolve against (the config file's). */
  baseDir: string;
  hubName: string;
  /** Paths built-in servers must refuse (upstreams/protect.ts), passed as SWITCHBOARD_PROTECT. */
  protect?: string[];
}

/**
 * A fresh transport to one upstream: a spawned stdio server or a remote HTTP endpoint. An HTTP
 * upstream gets the hub's own credentials for it (read at every connect), nothing of any caller's.
 */
export function openTransport(spec: UpstreamSpec, context: ConnectContext, credentials?: UpstreamCredentials): Transport {
  if ('url' in spec) {
    const authFetch = credentials?.fetch();
    return new DirectHttpTransport(
      new URL(spec.url),
      { requestInit: { headers: credentials?.headers() ?? spec.headers }, fetch: cancellableFetch(authFetch) },
      authFetch === undefined,
    );
  }
  const [command, ...prefix] = 'server' in spec ? context.selfCommand : [spec.command];
  if (command === undefined) throw new Error('selfCommand is empty');
  const args = 'server' in spec ? [...prefix, 'server', spec.server, ...spec.args] : spec.args;
  // Built-in servers are our own code and get our environment (LOG_LEVEL and friends); a foreign
  // command gets only the SDK's safe defaults plus what the config gives it, so secrets don't leak.
  const env =
    'server' in spec
      ? { ...stringEnv(process.env), ...spec.env, ...protectEnv(context.protect, spec.env) }
      : { ...getDefaultEnvironment(), ...spec.env };
  return new StdioClientTransport({
    command,
    args,
    env,
    cwd: resolve(context.baseDir, spec.cwd ?? '.'),
    stderr: 'inherit',
  });
}

/** The hub's list, plus whatever the upstream's own config adds (it can add, never take away). */
function protectEnv(protect: string[] | undefined, own: Record<string, string>): Record<string, string> {
  const paths = [...(protect ?? []), ...(own.SWITCHBOARD_PROTECT?.split(delimiter).filter(Boolean) ?? [])];
  return paths.length > 0 ? { SWITCHBOARD_PROTECT: [...new Set(paths)].join(delimiter) } : {};
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export type UpstreamEra = 'auto' | '2025' | '2026';

/** The era to speak unless configured: built-in servers (ours, both eras) keep a 2025 session, which
 * gives the hub resource subscriptions and log levels; anything else is probed. */
export function eraOf(spec: UpstreamSpec): UpstreamEra {
  return spec.era ?? ('server' in spec ? '2025' : 'auto');
}
