import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { FsDeps } from '../deps.ts';
import { deleteTool } from './delete.ts';
import { editFileTool } from './edit-file.ts';
import { listDirTool } from './list-dir.ts';
import { mkdirTool } from './mkdir.ts';
import { moveTool } from './move.ts';
import { readFileTool } from './read-file.ts';
import { readManyTool } from './read-many.ts';
import { searchTool } from './search.ts';
import { statTool } from './stat.ts';
import { writeFileTool } from './write-file.ts';

export function registerTools(server: McpServer, deps: FsDeps): void {
  registerTool(server, readFileTool(deps));
  registerTool(server, readManyTool(deps));
  registerTool(server, writeFileTool(deps));
  registerTool(server, editFileTool(deps));
  registerTool(server, mkdirTool(deps));
  registerTool(server, moveTool(deps));
  registerTool(server, listDirTool(deps));
  registerTool(server, statTool(deps));
  registerTool(server, searchTool(deps));
  registerTool(server, deleteTool(deps));
}
