import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** What a tools/call answered, reduced to what cases assert on. */
export interface ToolOutcome {
  isError: boolean;
  /** The text content blocks, joined by newlines. */
  text: string;
  structuredContent?: unknown;
  meta?: Record<string, unknown>;
}

export interface HttpRequestSpec {
  method: string;
  /** Relative to the hub's origin, e.g. `/health`. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpOutcome {
  status: number;
  text: string;
  /** The parsed body when the response is JSON. */
  json?: unknown;
}

/** The test-server's only way to the hub: MCP over Streamable HTTP plus plain REST calls. */
export interface HubClient {
  callTool(name: string, args: Record<string, unknown>): Promise<ToolOutcome>;
  listTools(): Promise<string[]>;
  http(request: HttpRequestSpec): Promise<HttpOutcome>;
  close(): Promise<void>;
}

export interface HubClientOptions {
  /** The hub's MCP endpoint, e.g. http://127.0.0.1:7700/mcp; REST paths resolve against its origin. */
  url: string;
  /** Bearer token sent on MCP and REST requests. */
  token?: string;
  /** Per-request timeout (default 120 s; role agents can take a while). */
  timeoutMs?: number;
}

/**
 * A hub client for one run. The MCP session opens on first use; if opening fails, the error goes to
 * that step and the next step tries again, so one unreachable moment does not sink the whole run.
 */
export function createHubClient(options: HubClientOptions): HubClient {
  const endpoint = new URL(options.url);
  const timeout = options.timeoutMs ?? 120_000;
  const authorization: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  let connected: Promise<Client> | undefined;

  const mcp = (): Promise<Client> => {
    if (connected === undefined) {
      const client = new Client({ name: 'switchboard-test-server', version: '0.1.0' });
      const transport = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: authorization } });
      connected = client.connect(transport, { timeout }).then(() => client);
      connected.catch(() => {
        connected = undefined;
      });
    }
    return connected;
  };

  return {
    async callTool(name, args) {
      const result = await (await mcp()).callTool({ name, arguments: args }, { timeout });
      const text = result.content
        .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
        .map((block) => block.text)
        .join('\n');
      const outcome: ToolOutcome = { isError: result.isError === true, text };
      if (result.structuredContent !== undefined) outcome.structuredContent = result.structuredContent;
      if (result._meta !== undefined) outcome.meta = result._meta as Record<string, unknown>;
      return outcome;
    },
    async listTools() {
      const { tools } = await (await mcp()).listTools(undefined, { timeout });
      return tools.map((tool) => tool.name);
    },
    async http(request) {
      const headers: Record<string, string> = { ...authorization, ...request.headers };
      let body: string | undefined;
      if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(new URL(request.path, endpoint.origin), {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(timeout),
      });
      const text = await response.text();
      const outcome: HttpOutcome = { status: response.status, text };
      if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
        try {
          outcome.json = JSON.parse(text);
        } catch {
          // Not JSON after all: `json` stays unset and a json assertion will say so.
        }
      }
      return outcome;
    },
    async close() {
      const pending = connected;
      connected = undefined;
      if (pending === undefined) return;
      const client = await pending.catch(() => undefined);
      await client?.close();
    },
  };
}
