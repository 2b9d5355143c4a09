import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { RagDeps } from '../deps.ts';
import { createCollectionTool } from './create-collection.ts';
import { deleteTool } from './delete.ts';
import { indexDocumentsTool } from './index-documents.ts';
import { indexPathTool } from './index-path.ts';
import { listCollectionsTool } from './list-collections.ts';
import { searchTool } from './search.ts';
import { statsTool } from './stats.ts';

export function registerTools(server: McpServer, deps: RagDeps): void {
  registerTool(server, createCollectionTool(deps));
  registerTool(server, listCollectionsTool(deps));
  registerTool(server, indexDocumentsTool(deps));
  registerTool(server, indexPathTool(deps));
  registerTool(server, searchTool(deps));
  registerTool(server, deleteTool(deps));
  registerTool(server, statsTool(deps));
}
