import { McpServer } from '@modelcontextprotocol/server';
import type { MongoBackend } from './backend.ts';
import { type MongoConfig, scopeText } from './config.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over a backend; cheap, so the HTTP transport may build one per request. */
export function createServer(backend: MongoBackend, config: MongoConfig): { server: McpServer; cleanup: () => Promise<void> } {
  const scope = scopeText(config);
  const server = new McpServer(
    { name: 'switchboard-mongo', version: '0.1.0' },
    { instructions: `MongoDB document tools. Documents are relaxed Extended JSON ({ "$oid" }, { "$date" }). ${scope}` },
  );
  const policy = { db: config.db, collections: config.collections, readOnly: config.readOnly };
  registerTools(server, { backend, config, policy, scope });
  return { server, cleanup: () => server.close() };
}
