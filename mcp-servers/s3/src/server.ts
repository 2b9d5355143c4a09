import { McpServer } from '@modelcontextprotocol/server';
import type { S3Backend } from './backend.ts';
import { type S3Config, scopeText } from './config.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over a backend; cheap, so the HTTP transport may build one per request. */
export function createServer(backend: S3Backend, config: S3Config): { server: McpServer; cleanup: () => Promise<void> } {
  const scope = scopeText(config);
  const server = new McpServer({ name: 'switchboard-s3', version: '0.1.0' }, { instructions: `S3 object tools. ${scope}` });
  registerTools(server, { backend, config, scope });
  return { server, cleanup: () => server.close() };
}
