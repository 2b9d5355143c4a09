import type { Tool } from '@modelcontextprotocol/client';

/** An OpenAI-format function definition: what every LangChain chat model's `bindTools` accepts. */
export interface FunctionSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

const MAX_DESCRIPTION = 1024;

/** MCP tool definitions → function specs, with the schema's scope notes (roots, allowed values) kept. */
export function functionSpecs(tools: readonly Tool[]): FunctionSpec[] {
  return tools.map((tool) => {
    const { $schema: _ignored, ...parameters } = tool.inputSchema as Record<string, unknown>;
    const description = (tool.description ?? tool.title ?? tool.name).slice(0, MAX_DESCRIPTION);
    return { type: 'function', function: { name: tool.name, description, parameters } };
  });
}
