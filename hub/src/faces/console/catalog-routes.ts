import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { Context, Hono } from 'hono';
import type { Hub } from '../../hub.ts';
import { UnknownToolError } from '../../hub.ts';
import type { Principal } from '../../policy/index.ts';
import { ConsoleApiError, handle, isAdmin } from './access.ts';

export interface ConsoleRouteOptions {
  principalOf(c: Context): Principal;
  onError?(error: unknown): void;
}

/** Where a tool comes from: an upstream server, a role agent, or the hub itself. */
type ToolSource = { kind: 'upstream'; upstream: string } | { kind: 'agent'; role: string } | { kind: 'hub' };

/**
 * MCP's default for a tool without annotations is "may be destructive" (destructiveHint defaults to
 * true unless readOnlyHint is set), so the console asks before calling anything not marked otherwise.
 */
export function isDestructive(tool: Pick<Tool, 'annotations'>): boolean {
  const a = tool.annotations ?? {};
  return a.readOnlyHint !== true && a.destructiveHint !== false;
}

function sourceOf(hub: Hub, name: string): ToolSource {
  const entry = hub.catalog.resolve(name);
  if (entry !== undefined) return { kind: 'upstream', upstream: entry.upstream };
  if (hub.agents.has(name)) return { kind: 'agent', role: name.slice('agent__'.length) };
  return { kind: 'hub' };
}

/** Role names whose policy lets them see (and so call, argument rules permitting) this tool. */
function rolesFor(hub: Hub, tool: string): string[] {
  return hub.policy.roleNames().filter((role) => hub.policy.canSee({ id: `role:${role}`, role, kind: 'anonymous' }, tool));
}

/** `GET /v1/me`, `GET /v1/catalog`, `POST /v1/tools/:name/call`. */
export function mountCatalogRoutes(app: Hono, hub: Hub, options: ConsoleRouteOptions): void {
  app.get(
    '/v1/me',
    handle(async (c) => {
      const principal = options.principalOf(c);
      return c.json({ principal, admin: isAdmin(principal), hub: hub.name, authMode: hub.authenticator.mode });
    }, options.onError),
  );

  app.get(
    '/v1/catalog',
    handle(async (c) => {
      const principal = options.principalOf(c);
      const admin = isAdmin(principal);
      // Everyone sees what they may call (argument rules appended to descriptions); admins see every tool.
      const mine = new Map(hub.listTools(principal).map((tool) => [tool.name, tool]));
      const tools = (admin ? hub.listTools() : [...mine.values()]).map((tool) => ({
        name: tool.name,
        ...sourceOf(hub, tool.name),
        title: tool.title ?? tool.annotations?.title ?? null,
        description: mine.get(tool.name)?.description ?? tool.description ?? '',
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema ?? null,
        annotations: tool.annotations ?? {},
        destructive: isDestructive(tool),
        callable: mine.has(tool.name),
        ...(admin ? { roles: rolesFor(hub, tool.name) } : {}),
      }));
      tools.sort((a, b) => a.name.localeCompare(b.name));
      return c.json({ tools });
    }, options.onError),
  );

  app.post(
    '/v1/tools/:name/call',
    handle(async (c, correlationId) => {
      const principal = options.principalOf(c);
      const name = c.req.param('name') as string;
      const tool = hub.listTools().find((t) => t.name === name);
      if (tool === undefined) throw new ConsoleApiError('NOT_FOUND', `no tool '${name}' (GET /v1/catalog lists them)`, 'name');
      const body = await jsonBody(c);
      const args = body.arguments ?? {};
      if (args === null || typeof args !== 'object' || Array.isArray(args))
        throw new ConsoleApiError('INVALID_ARGUMENT', 'arguments: an object of the tool’s arguments', 'arguments');
      if (isDestructive(tool) && body.confirm !== true)
        throw new ConsoleApiError(
          'CONFIRMATION_REQUIRED',
          `'${name}' may change or delete data (no readOnlyHint, destructiveHint not false): send "confirm": true to call it`,
          'confirm',
        );
      // Policy, quotas and audit apply exactly as for an MCP call: the gate decides, not this route.
      const started = performance.now();
      let result: CallToolResult;
      try {
        result = await hub.callTool(name, args as Record<string, unknown>, { principal, correlationId, signal: c.req.raw.signal });
      } catch (error) {
        if (error instanceof UnknownToolError) throw new ConsoleApiError('NOT_FOUND', error.message, 'name');
        throw error;
      }
      return c.json({ tool: name, correlationId, durationMs: Math.round((performance.now() - started) * 10) / 10, result });
    }, options.onError),
  );
}

async function jsonBody(c: Context): Promise<{ arguments?: unknown; confirm?: unknown }> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {}
  throw new ConsoleApiError('INVALID_ARGUMENT', 'the body is a JSON object: { "arguments": { … }, "confirm": true? }', 'body');
}
