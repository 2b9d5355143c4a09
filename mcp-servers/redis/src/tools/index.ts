import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { RedisDeps } from '../deps.ts';
import { commandTool } from './command.ts';
import { delTool } from './del.ts';
import { getTool } from './get.ts';
import { hgetTool } from './hget.ts';
import { hgetallTool } from './hgetall.ts';
import { hsetTool } from './hset.ts';
import { incrTool } from './incr.ts';
import { lpushTool } from './lpush.ts';
import { lrangeTool } from './lrange.ts';
import { mgetTool } from './mget.ts';
import { publishTool } from './publish.ts';
import { rpopTool } from './rpop.ts';
import { scanTool } from './scan.ts';
import { setTool } from './set.ts';
import { ttlTool } from './ttl.ts';

export function registerTools(server: McpServer, deps: RedisDeps, rawCommands: readonly string[] | undefined): void {
  registerTool(server, getTool(deps));
  registerTool(server, setTool(deps));
  registerTool(server, delTool(deps));
  registerTool(server, mgetTool(deps));
  registerTool(server, incrTool(deps));
  registerTool(server, hgetTool(deps));
  registerTool(server, hsetTool(deps));
  registerTool(server, hgetallTool(deps));
  registerTool(server, lpushTool(deps));
  registerTool(server, rpopTool(deps));
  registerTool(server, lrangeTool(deps));
  registerTool(server, scanTool(deps));
  registerTool(server, ttlTool(deps));
  registerTool(server, publishTool(deps));
  if (rawCommands !== undefined) registerTool(server, commandTool(deps, rawCommands));
}
