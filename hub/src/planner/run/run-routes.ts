import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult } from '@switchboard/kit';
import type { Context, Hono } from 'hono';
import type { Principal } from '../../policy/index.ts';
import { RUN_TOOL } from './planner-service.ts';

export interface RunRouteOptions {
  /** Calls a hub tool as the request's principal: policy, quotas and audit apply as on /mcp. */
  callTool(
    name: string,
    args: Record<string, unknown>,
    call: { principal: Principal; correlationId: string; signal?: AbortSignal },
  ): Promise<CallToolResult>;
  principalOf(c: Context): Principal;
}

const STATUS: Record<string, 400 | 403 | 404 | 409 | 429 | 500 | 503> = {
  INVALID_ARGUMENT: 400,
  ACL_DENIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
};

/**
 * The REST face of runs, each route the MCP tool of the same meaning called through the hub:
 * `POST /v1/runs` (hub__run_task), `GET /v1/runs/:id` (hub__run_status; `?waitMs=`),
 * `POST /v1/runs/:id/approve` and `/reject` (hub__approve / hub__reject; body `{ note? }`).
 */
export function mountRunRoutes(app: Hono, options: RunRouteOptions): void {
  const call = async (c: Context, tool: string, args: Record<string, unknown>, created = false) => {
    const given = c.req.header('x-correlation-id');
    const correlationId = given && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
    c.header('x-correlation-id', correlationId);
    const result = await options.callTool(tool, args, { principal: options.principalOf(c), correlationId, signal: c.req.raw.signal });
    if (result.isError) {
      const error = errorOfResult(result) ?? { code: 'INTERNAL', message: 'the call failed' };
      return c.json({ error, correlationId }, STATUS[error.code] ?? 500);
    }
    return c.json(result.structuredContent ?? {}, created ? 201 : 200);
  };
  const body = async (c: Context): Promise<Record<string, unknown> | Response> => {
    const text = await c.req.text();
    if (text.trim() === '') return {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {}
    return c.json({ error: { code: 'INVALID_ARGUMENT', message: 'the body must be a JSON object' } }, 400);
  };
  app.post('/v1/runs', async (c) => {
    const args = await body(c);
    return args instanceof Response ? args : call(c, RUN_TOOL, args, true);
  });
  app.get('/v1/runs/:id', (c) => {
    const waitMs = c.req.query('waitMs');
    return call(c, 'hub__run_status', { runId: c.req.param('id'), ...(waitMs !== undefined ? { waitMs: Number(waitMs) } : {}) });
  });
  for (const verb of ['approve', 'reject'] as const) {
    app.post(`/v1/runs/:id/${verb}`, async (c) => {
      const args = await body(c);
      return args instanceof Response ? args : call(c, `hub__${verb}`, { ...args, runId: c.req.param('id') });
    });
  }
}
