import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import { type Hub, UnknownToolError } from '../hub.ts';
import type { Principal } from '../policy/index.ts';
import { correlationIdFrom } from '../telemetry/index.ts';

/**
 * One MCP server instance over the hub (the SDK makes one per HTTP request or stdio connection;
 * they are cheap, all state is in the hub). Unknown tools are protocol errors; everything else a
 * tool can fail with comes back as an `isError` result.
 */
export function createHubMcpServer(hub: Hub, principal: Principal): Server {
  const server = new Server({ name: hub.name, version: '0.1.0' }, { capabilities: { tools: { listChanged: false } } });
  server.setRequestHandler('tools/list', async () => ({ tools: hub.listTools(principal) }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const { name, arguments: args = {}, _meta } = request.params;
    const correlationId = correlationIdFrom(_meta as Record<string, unknown> | undefined);
    try {
      return await hub.callTool(name, args, { correlationId, signal: ctx.mcpReq.signal, principal });
    } catch (error) {
      if (error instanceof UnknownToolError) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${error.message}; tools/list shows the available tools`);
      }
      throw error;
    }
  });
  return server;
}
