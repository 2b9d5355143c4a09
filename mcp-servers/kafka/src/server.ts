import { McpServer } from '@modelcontextprotocol/server';
import type { KafkaBackend } from './backend.ts';
import { type KafkaConfig, scopeText } from './config.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over a backend; cheap, so the HTTP transport may build one per request. */
export function createServer(backend: KafkaBackend, config: KafkaConfig): { server: McpServer; cleanup: () => Promise<void> } {
  const scope = scopeText(config);
  const server = new McpServer({ name: 'switchboard-kafka', version: '0.1.0' }, { instructions: `Kafka topic tools. ${scope}` });
  registerTools(server, { backend, config, scope });
  return { server, cleanup: () => server.close() };
}
