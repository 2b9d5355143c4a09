import type { CallToolResult, Client, Tool } from '@modelcontextprotocol/client';
import { ToolError } from '@switchboard/kit';
import type { UpstreamSpec } from '../config/index.ts';
import { type ConnectContext, connectUpstream } from './connect.ts';

export type UpstreamState = 'connecting' | 'connected' | 'failed' | 'closed';

export interface CallOptions {
  signal?: AbortSignal;
  correlationId?: string;
}

/** One upstream MCP server as the hub sees it: its state, its tools, and a way to call them. */
export class Upstream {
  state: UpstreamState = 'connecting';
  tools: Tool[] = [];
  lastError: string | undefined;
  private client: Client | undefined;

  constructor(
    readonly name: string,
    readonly spec: UpstreamSpec,
    private readonly context: ConnectContext,
  ) {}

  async connect(): Promise<void> {
    try {
      this.client = await connectUpstream(this.spec, this.context);
      this.tools = (await this.client.listTools()).tools;
      this.state = 'connected';
      this.lastError = undefined;
    } catch (error) {
      this.state = 'failed';
      this.lastError = (error as Error).message;
      await this.client?.close().catch(() => {});
      this.client = undefined;
      throw error;
    }
  }

  async callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    const client = this.client;
    if (this.state !== 'connected' || client === undefined) {
      throw new ToolError('UPSTREAM_UNAVAILABLE', `upstream '${this.name}' is ${this.state}${this.lastError ? `: ${this.lastError}` : ''}`);
    }
    const timeout = this.spec.timeoutMs;
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout);
    try {
      const meta = options.correlationId ? { 'switchboard/correlationId': options.correlationId } : undefined;
      return (await client.callTool(
        { name: tool, arguments: args, ...(meta ? { _meta: meta } : {}) },
        { signal, timeout },
      )) as CallToolResult;
    } catch (error) {
      if (signal.aborted && !options.signal?.aborted) {
        throw new ToolError('TIMEOUT', `upstream '${this.name}' did not answer ${tool} within ${timeout} ms`);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    this.state = 'closed';
    await this.client?.close();
    this.client = undefined;
  }
}
