import { McpServer } from '@modelcontextprotocol/server';
import type { SqlBackend } from './backend.ts';
import { allowlistOf, type SqlConfig, scopeText } from './config.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over a backend; cheap, so the HTTP transport may build one per request. */
export function createServer(backend: SqlBackend, config: SqlConfig): { server: McpServer; cleanup: () => Promise<void> } {
  const scope = scopeText(config);
  const server = new McpServer(
    { name: 'switchboard-sql', version: '0.1.0' },
    { instructions: `PostgreSQL tools (${backend.kind}). ${scope}` },
  );
  registerTools(server, { backend, config, allowlist: allowlistOf(config), scope });
  return { server, cleanup: () => server.close() };
}
