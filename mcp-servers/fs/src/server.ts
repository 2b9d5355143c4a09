import { McpServer } from '@modelcontextprotocol/server';
import type { FsBackend } from './backend.ts';
import { type FsConfig, scopeText } from './config.ts';
import { Confinement } from './confine.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over a backend; cheap, so the HTTP transport may build one per request. */
export function createServer(backend: FsBackend, config: FsConfig): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer({ name: 'switchboard-fs', version: '0.1.0' }, { instructions: `File tools. ${scopeText(config)}` });
  registerTools(server, { backend, config, confinement: new Confinement(backend, config), scope: scopeText(config) });
  return { server, cleanup: () => server.close() };
}
