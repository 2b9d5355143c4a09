import { McpServer } from '@modelcontextprotocol/server';
import type { QueueBackend } from './backend.ts';
import { type QueueConfig, scopeText } from './config.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over a backend; cheap, so the HTTP transport may build one per request. */
export function createServer(backend: QueueBackend, config: QueueConfig): { server: McpServer; cleanup: () => Promise<void> } {
  const scope = scopeText(config);
  const server = new McpServer(
    { name: 'switchboard-queue', version: '0.1.0' },
    { instructions: `Message queue tools (RabbitMQ). ${scope}` },
  );
  registerTools(server, { backend, config, scope });
  return { server, cleanup: () => server.close() };
}
