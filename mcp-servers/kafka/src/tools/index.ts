import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { KafkaDeps } from '../deps.ts';
import { consumeTool } from './consume.ts';
import { createTopicTool } from './create-topic.ts';
import { describeTopicTool } from './describe-topic.ts';
import { listTopicsTool } from './list-topics.ts';
import { produceTool } from './produce.ts';

export function registerTools(server: McpServer, deps: KafkaDeps): void {
  registerTool(server, listTopicsTool(deps));
  registerTool(server, describeTopicTool(deps));
  registerTool(server, produceTool(deps));
  registerTool(server, consumeTool(deps));
  registerTool(server, createTopicTool(deps));
}
