import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { SqlDeps } from '../deps.ts';
import { describeTableTool } from './describe-table.ts';
import { executeTool } from './execute.ts';
import { explainTool } from './explain.ts';
import { listSchemasTool } from './list-schemas.ts';
import { listTablesTool } from './list-tables.ts';
import { queryTool } from './query.ts';

export function registerTools(server: McpServer, deps: SqlDeps): void {
  registerTool(server, queryTool(deps));
  registerTool(server, executeTool(deps));
  registerTool(server, listSchemasTool(deps));
  registerTool(server, listTablesTool(deps));
  registerTool(server, describeTableTool(deps));
  registerTool(server, explainTool(deps));
}
