import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { taskJsonSchemas } from '../../scheduler/contracts.ts';
import { HTTP_STATUS, TaskApiError } from '../../scheduler/errors.ts';
import type { Scheduler } from '../../scheduler/scheduler.ts';
import type { TaskPrincipal } from '../../scheduler/task-model.ts';
import { ListInput } from '../../scheduler/tools/index.ts';
import { followEvents } from './follow-events.ts';

export interface TaskRouteOptions {
  /** The caller, as the auth middleware resolved it (mounted after it, so these routes are guarded too). */
  principalOf(c: Context): TaskPrincipal | null;
  /** How often an SSE stream looks for events written by other hubs. */
  pollMs?: number;
}

const CORRELATION_HEADER = 'x-correlation-id';

function correlationIdOf(c: Context): string {
  const given = c.req.header(CORRELATION_HEADER);
  return given !== undefined && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

function fail(c: Context, error: unknown, correlationId: string) {
  const known =
    error instanceof TaskApiError ? error : new TaskApiError('INTERNAL', 'the task API failed; see the hub log for this correlation id');
  c.header(CORRELATION_HEADER, correlationId);
  const body = { error: { code: known.code, message: known.message, ...(known.field ? { field: known.field } : {}) }, correlationId };
  return c.json(body, HTTP_STATUS[known.code]);
}

/** `/v1/tasks…` and `/v1/schema` on the hub's HTTP app. Every answer carries `x-correlation-id`. */
export function mountTaskRoutes(app: Hono, scheduler: Scheduler, options: TaskRouteOptions): void {
  const handle = (run: (c: Context, correlationId: string) => Promise<Response>) => async (c: Context) => {
    const correlationId = correlationIdOf(c);
    try {
      const response = await run(c, correlationId);
      response.headers.set(CORRELATION_HEADER, correlationId);
      return response;
    } catch (error) {
      return fail(c, error, correlationId);
    }
  };

  app.get('/v1/schema', (c) => c.json(taskJsonSchemas()));

  app.post(
    '/v1/tasks',
    handle(async (c, correlationId) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new TaskApiError('INVALID_ARGUMENT', 'the body is not JSON (send Content-Type: application/json)');
      }
      const { task, created } = await scheduler.submit(body, { principal: options.principalOf(c), correlationId });
      c.header('location', `/v1/tasks/${task.id}`);
      return c.json(task, created ? 201 : 200);
    }),
  );

  app.get(
    '/v1/tasks',
    handle(async (c) => {
      const query = c.req.query();
      const raw = { ...query, ...(query.limit !== undefined ? { limit: Number(query.limit) } : {}) };
      const parsed = ListInput.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
        throw new TaskApiError('INVALID_ARGUMENT', `${field}: ${issue?.message}`, field);
      }
      return c.json(await scheduler.list(parsed.data, options.principalOf(c)));
    }),
  );

  app.get(
    '/v1/tasks/:id',
    handle(async (c) => c.json(await scheduler.require(c.req.param('id') as string, options.principalOf(c)))),
  );

  app.delete(
    '/v1/tasks/:id',
    handle(async (c) => c.json(await scheduler.cancel(c.req.param('id') as string, options.principalOf(c)))),
  );

  app.get(
    '/v1/tasks/:id/events',
    handle(async (c) => {
      const id = c.req.param('id') as string;
      const resumeFrom = c.req.header('last-event-id') ?? c.req.query('after') ?? '0';
      const afterId = Number(resumeFrom);
      if (!Number.isSafeInteger(afterId) || afterId < 0)
        throw new TaskApiError('INVALID_ARGUMENT', 'Last-Event-ID / after: an event id', 'Last-Event-ID');
      await scheduler.require(id, options.principalOf(c));
      return streamSSE(c, async (stream) => {
        const abort = new AbortController();
        stream.onAbort(() => abort.abort());
        for await (const item of followEvents(scheduler, id, afterId, abort.signal, options.pollMs)) {
          if ('event' in item)
            await stream.writeSSE({ id: String(item.event.id), event: item.event.state, data: JSON.stringify(item.event) });
          else await stream.writeSSE({ event: 'end', data: JSON.stringify(item.end) });
        }
      });
    }),
  );
}
