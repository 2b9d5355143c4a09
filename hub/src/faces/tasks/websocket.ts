import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { TaskApiError } from '../../scheduler/errors.ts';
import type { Scheduler } from '../../scheduler/scheduler.ts';
import type { TaskPrincipal } from '../../scheduler/task-model.ts';
import { followEvents } from './follow-events.ts';

export const TASK_SOCKET_PATH = '/v1/ws';

/** Client → hub messages. Every answer echoes `ref` when given. */
const ClientMessage = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('submit'), ref: z.string().max(128).optional(), task: z.unknown(), subscribe: z.boolean().default(true) }),
  z.strictObject({
    op: z.literal('subscribe'),
    ref: z.string().max(128).optional(),
    id: z.string().min(1).max(64),
    after: z.number().int().min(0).default(0),
  }),
  z.strictObject({ op: z.literal('unsubscribe'), ref: z.string().max(128).optional(), id: z.string().min(1).max(64) }),
  z.strictObject({ op: z.literal('cancel'), ref: z.string().max(128).optional(), id: z.string().min(1).max(64) }),
  z.strictObject({ op: z.literal('status'), ref: z.string().max(128).optional(), id: z.string().min(1).max(64) }),
]);

export interface TaskSocketOptions {
  /** The same check as the HTTP routes: a principal, or the Response to refuse the upgrade with. */
  authenticate(request: Request): Promise<{ principal: TaskPrincipal } | Response>;
  pollMs?: number;
}

interface UpgradeSource {
  on(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
  off(event: 'upgrade', listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown;
}

/**
 * WebSocket `/v1/ws`: submit, subscribe (events as they happen, resumable with `after`), cancel and
 * status over one connection. Messages are JSON: `{ op, ref?, … }` in; `{ op: submitted | event | end |
 * status | cancelled | error, ref?, … }` out.
 */
export function attachTaskSocket(server: UpgradeSource, scheduler: Scheduler, options: TaskSocketOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== TASK_SOCKET_PATH) return;
    void authenticateUpgrade(request, options).then((outcome) => {
      if (outcome instanceof Response) {
        socket.end(`HTTP/1.1 ${outcome.status} ${outcome.statusText || 'Unauthorized'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, scheduler, outcome.principal, options.pollMs));
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

async function authenticateUpgrade(request: IncomingMessage, options: TaskSocketOptions): Promise<{ principal: TaskPrincipal } | Response> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
  try {
    return await options.authenticate(
      new Request(new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`), { headers }),
    );
  } catch {
    return new Response(null, { status: 401 });
  }
}

function serveSocket(ws: WebSocket, scheduler: Scheduler, principal: TaskPrincipal, pollMs?: number): void {
  const follows = new Map<string, AbortController>();
  const send = (message: Record<string, unknown>) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const follow = (id: string, after: number, ref?: string) => {
    follows.get(id)?.abort();
    const abort = new AbortController();
    follows.set(id, abort);
    void (async () => {
      try {
        await scheduler.require(id, principal); // someone else's task is no task
        for await (const item of followEvents(scheduler, id, after, abort.signal, pollMs)) {
          if ('event' in item) send({ op: 'event', ref, event: item.event });
          else send({ op: 'end', ref, task: item.end });
        }
      } catch (error) {
        send(errorMessage(error, ref));
      } finally {
        if (follows.get(id) === abort) follows.delete(id);
      }
    })();
  };
  ws.on('message', (data) => {
    void (async () => {
      let ref: string | undefined;
      try {
        const raw = JSON.parse(String(data));
        ref = typeof raw?.ref === 'string' ? raw.ref : undefined;
        const parsed = ClientMessage.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new TaskApiError('INVALID_ARGUMENT', `${issue?.path.join('.') || 'message'}: ${issue?.message}`, issue?.path.join('.'));
        }
        const message = parsed.data;
        if (message.op === 'submit') {
          const { task, created } = await scheduler.submit(message.task, { principal, correlationId: randomUUID() });
          send({ op: 'submitted', ref, created, task });
          if (message.subscribe) follow(task.id, 0, ref);
        } else if (message.op === 'subscribe') follow(message.id, message.after, ref);
        else if (message.op === 'unsubscribe') follows.get(message.id)?.abort();
        else if (message.op === 'cancel') send({ op: 'cancelled', ref, task: await scheduler.cancel(message.id, principal) });
        else send({ op: 'status', ref, task: await scheduler.require(message.id, principal) });
      } catch (error) {
        send(errorMessage(error instanceof SyntaxError ? new TaskApiError('INVALID_ARGUMENT', 'messages are JSON objects') : error, ref));
      }
    })();
  });
  ws.on('close', () => {
    for (const abort of follows.values()) abort.abort();
    follows.clear();
  });
}

function errorMessage(error: unknown, ref?: string): Record<string, unknown> {
  const known = error instanceof TaskApiError ? error : new TaskApiError('INTERNAL', 'the task API failed');
  return { op: 'error', ref, error: { code: known.code, message: known.message, ...(known.field ? { field: known.field } : {}) } };
}
