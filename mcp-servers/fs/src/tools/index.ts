import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { FsDeps } from '../deps.ts';
import { deleteTool } from './delete.ts';
import { listDirTool } from './list-dir.ts';
import { readFileTool } from './read-file.ts';
import { searchTool } from './search.ts';
import { statTool } from './stat.ts';
import { writeFileTool } from './write-file.ts';

export function registerTools(server: McpServer, deps: FsDeps): void {
  registerTool(server, readFileTool(deps));
  registerTool(server, writeFileTool(deps));
  registerTool(server, listDirTool(deps));
  registerTool(server, statTool(deps));
  registerTool(server, searchTool(deps));
  registerTool(server, deleteTool(deps));
}
