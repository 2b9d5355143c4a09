import { McpServer } from '@modelcontextprotocol/server';
import type { ShellDeps } from './deps.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over the shared runtime; cheap, so the HTTP transport may build one per request. */
export function createServer(deps: ShellDeps): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'switchboard-shell', version: '0.1.0' },
    { instructions: `Command tools (argv only, no shell). ${deps.scope}` },
  );
  registerTools(server, deps);
  return { server, cleanup: () => server.close() };
}
