import { resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { UpstreamSpec } from '../config/index.ts';

export interface ConnectContext {
  /** How to start this program itself: argv prefix for built-in servers, e.g. [node, bin/switchboard.mjs]. */
  selfCommand: string[];
  /** Directory relative `cwd`s resolve against (the config file's). */
  baseDir: string;
  hubName: string;
}

/** Opens an MCP client session to one upstream: a spawned stdio server or a remote HTTP endpoint. */
export async function connectUpstream(spec: UpstreamSpec, context: ConnectContext): Promise<Client> {
  const client = new Client({ name: `${context.hubName}-hub`, version: '0.1.0' });
  if ('url' in spec) {
    await client.connect(new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } }));
    return client;
  }
  const [command, ...prefix] = 'server' in spec ? context.selfCommand : [spec.command];
  if (command === undefined) throw new Error('selfCommand is empty');
  const args = 'server' in spec ? [...prefix, 'server', spec.server, ...spec.args] : spec.args;
  // Built-in servers are our own code and get our environment (LOG_LEVEL and friends); a foreign
  // command gets only the SDK's safe defaults plus what the config gives it, so secrets don't leak.
  const env = 'server' in spec ? { ...stringEnv(process.env), ...spec.env } : { ...getDefaultEnvironment(), ...spec.env };
  const transport = new StdioClientTransport({
    command,
    args,
    env,
    cwd: resolve(context.baseDir, spec.cwd ?? '.'),
    stderr: 'inherit',
  });
  await client.connect(transport);
  return client;
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
