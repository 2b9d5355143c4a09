import { McpServer } from '@modelcontextprotocol/server';
import { type RagConfig, scopeText } from './config.ts';
import { Confinement } from './confine.ts';
import type { RagEngine } from './engine/engine.ts';
import { registerTools } from './tools/index.ts';

/** One MCP server over an engine; cheap, so the HTTP transport may build one per request. */
export function createServer(engine: RagEngine, config: RagConfig): { server: McpServer; cleanup: () => Promise<void> } {
  const scope = scopeText(config);
  const server = new McpServer(
    { name: 'switchboard-rag', version: '0.1.0' },
    {
      instructions: `Searchable knowledge: create a collection, index documents or files, then search it (hybrid by default) and cite chunkIds. ${scope}`,
    },
  );
  registerTools(server, { engine, config, confinement: new Confinement(config.roots), scope });
  return { server, cleanup: () => server.close() };
}
