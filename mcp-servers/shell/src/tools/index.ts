import type { McpServer } from '@modelcontextprotocol/server';
import { registerTool } from '@switchboard/kit';
import type { ShellDeps } from '../deps.ts';
import { copyTools } from './copy.ts';
import { runTool } from './run.ts';
import { runScriptTool } from './run-script.ts';
import { whichTool } from './which.ts';

export function registerTools(server: McpServer, deps: ShellDeps): void {
  registerTool(server, runTool(deps));
  registerTool(server, whichTool(deps));
  if (deps.scripts !== undefined) registerTool(server, runScriptTool(deps, deps.scripts));
  if (deps.hosts.names.length > 0) for (const tool of copyTools(deps)) registerTool(server, tool);
}
