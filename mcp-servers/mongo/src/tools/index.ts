import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { MongoDeps } from '../deps.ts';
import { aggregateTool } from './aggregate.ts';
import { countTool } from './count.ts';
import { deleteTool } from './delete.ts';
import { findTool } from './find.ts';
import { insertManyTool } from './insert-many.ts';
import { insertOneTool } from './insert-one.ts';
import { listCollectionsTool } from './list-collections.ts';
import { updateTool } from './update.ts';

export function registerTools(server: McpServer, deps: MongoDeps): void {
  registerTool(server, findTool(deps));
  registerTool(server, countTool(deps));
  registerTool(server, aggregateTool(deps));
  registerTool(server, listCollectionsTool(deps));
  registerTool(server, insertOneTool(deps));
  registerTool(server, insertManyTool(deps));
  registerTool(server, updateTool(deps, false));
  registerTool(server, updateTool(deps, true));
  registerTool(server, deleteTool(deps, false));
  registerTool(server, deleteTool(deps, true));
}
