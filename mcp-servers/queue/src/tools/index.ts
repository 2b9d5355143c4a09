import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { QueueDeps } from '../deps.ts';
import { consumeTool } from './consume.ts';
import { declareQueueTool } from './declare-queue.ts';
import { publishTool } from './publish.ts';
import { purgeTool } from './purge.ts';
import { queueStatsTool } from './queue-stats.ts';

export function registerTools(server: McpServer, deps: QueueDeps): void {
  registerTool(server, publishTool(deps));
  registerTool(server, consumeTool(deps));
  registerTool(server, declareQueueTool(deps));
  registerTool(server, queueStatsTool(deps));
  registerTool(server, purgeTool(deps));
}
