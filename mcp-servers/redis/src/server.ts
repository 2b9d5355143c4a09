import { McpServer } from '@modelcontextprotocol/server';
import type { RedisBackend } from './backend.ts';
import { resolveRawCommands } from './commands.ts';
import { type RedisConfig, scopeText } from './config.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over a backend; cheap, so the HTTP transport may build one per request. */
export function createServer(backend: RedisBackend, config: RedisConfig): { server: McpServer; cleanup: () => Promise<void> } {
  const scope = scopeText(config);
  const server = new McpServer(
    { name: 'switchboard-redis', version: '0.1.0' },
    { instructions: `Redis key/value, hash and list tools. ${scope}` },
  );
  const raw = config.rawCommands === undefined ? undefined : resolveRawCommands(config.rawCommands);
  registerTools(server, { backend, config, scope }, raw);
  return { server, cleanup: () => server.close() };
}
