import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { WebSocket } from 'ws';
import { Scheduler } from '../../scheduler/scheduler.ts';
import { MemoryTaskStore } from '../../scheduler/store/memory-store.ts';
import { fail, fakeExecutor, ok, untilAborted } from '../../scheduler/testing/fake-executor.ts';
import { taskTools } from '../../scheduler/tools/index.ts';
import { mountTaskRoutes } from './routes.ts';
import { attachTaskSocket } from './websocket.ts';

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        const [key, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (key === 'id') event.id = value;
        else if (key === 'event') event.event = value;
        else if (key === 'data') event.data += value;
      }
      return event;
    });
}

describe('task API over HTTP, SSE and WebSocket', () => {
  const gate: { open?: () => void } = {};
  const fake = fakeExecutor({
    denied: () => fail('ACL_DENIED', 'not for you'),
    wait: (_input, context) =>
      new Promise((resolve) => {
        gate.open = () => resolve(ok('opened'));
        context.signal.addEventListener('abort', () => resolve(fail('INTERNAL', 'aborted')));
      }),
    forever: (_input, context) => untilAborted(context),
  });
  const scheduler = new Scheduler({ store: new MemoryTaskStore(), executor: fake.executor, pollMs: 50 }).start();
  let base = '';
  let server: ReturnType<typeof serve>;
  let socket: { close(): void };

  before(async () => {
    const app = new Hono();
    app.use('/v1/*', async (c, next) => {
      if (c.req.header('authorization') !== 'Bearer good') return c.json({ error: 'unauthorized' }, 401);
      await next();
    });
    // Tests act as another caller with x-test-principal / x-test-role (set only by this test's requests).
    mountTaskRoutes(app, scheduler, {
      principalOf: (c) => ({ id: c.req.header('x-test-principal') ?? 'key:test', role: c.req.header('x-test-role') ?? 'tester' }),
      pollMs: 50,
    });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    socket = attachTaskSocket(server as never, scheduler, {
      authenticate: async (request) =>
        request.headers.get('authorization') === 'Bearer good'
          ? { principal: { id: 'key:ws', role: 'tester' } }
          : new Response(null, { status: 401 }),
      pollMs: 50,
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    socket.close();
    await scheduler.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: 'Bearer good', 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };

  it('sits behind the auth middleware', async () => {
    const response = await fetch(`${base}/v1/tasks`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 401);
  });

  it('submits a task (201, Location, correlation id) and shows it', async () => {
    const created = await call('POST', '/v1/tasks', { target: 'echo', input: { a: 1 } }, { 'x-correlation-id': 'corr-42' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('x-correlation-id'), 'corr-42');
    assert.equal(created.headers.get('location'), `/v1/tasks/${created.json.id}`);
    assert.equal(created.json.correlationId, 'corr-42');
    const done = await scheduler.waitFor(created.json.id);
    assert.equal(done.state, 'succeeded');
    const shown = await call('GET', `/v1/tasks/${created.json.id}`);
    assert.equal(shown.status, 200);
    for (const key of ['id', 'state', 'attempts', 'result', 'error', 'createdAt', 'updatedAt']) assert.ok(key in shown.json, key);
    assert.equal(fake.calls.at(-1)?.context.principal?.id, 'key:test', 'runs as the submitting principal');
  });

  it('shows, lists, streams and cancels a task only to its submitter and to admin; others get 404', async () => {
    const created = await call('POST', '/v1/tasks', { target: 'wait', input: { owner: 'test' } });
    assert.equal(created.status, 201);
    const id = created.json.id as string;
    const other = { 'x-test-principal': 'key:other', 'x-test-role': 'tester' };
    const admin = { 'x-test-principal': 'key:root', 'x-test-role': 'admin' };
    assert.equal((await call('GET', `/v1/tasks/${id}`, undefined, other)).status, 404);
    assert.equal((await call('GET', `/v1/tasks/${id}/events`, undefined, other)).status, 404);
    assert.equal((await call('DELETE', `/v1/tasks/${id}`, undefined, other)).status, 404);
    const theirs = await call('GET', '/v1/tasks?limit=100', undefined, other);
    assert.ok(!theirs.json.tasks.some((t: { id: string }) => t.id === id), 'not in their listing');
    const listed = await call('GET', '/v1/tasks?limit=100', undefined, admin);
    assert.ok(
      listed.json.tasks.some((t: { id: string }) => t.id === id),
      'admin lists it',
    );
    assert.ok(
      (await call('GET', '/v1/tasks?limit=100')).json.tasks.some((t: { id: string }) => t.id === id),
      'the submitter lists it',
    );
    assert.equal((await call('GET', `/v1/tasks/${id}`, undefined, admin)).status, 200);
    const cancelled = await call('DELETE', `/v1/tasks/${id}`);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal((await scheduler.waitFor(id)).state, 'cancelled');
  });

  it('answers 200 with the same task for an idempotent retry, 409 for a different body under the key', async () => {
    const body = { target: 'echo', input: { n: 1 }, idempotencyKey: 'rest-1' };
    const first = await call('POST', '/v1/tasks', body);
    const again = await call('POST', '/v1/tasks', body);
    assert.equal(again.status, 200);
    assert.equal(again.json.id, first.json.id);
    const conflict = await call('POST', '/v1/tasks', { ...body, input: { n: 2 } });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.error.code, 'CONFLICT');
    assert.equal(conflict.json.error.field, 'idempotencyKey');
    assert.ok(conflict.json.correlationId);
  });

  it('rejects bad input with 400 naming the field, unknown ids with 404', async () => {
    const bad = await call('POST', '/v1/tasks', { target: 'echo', input: {}, maxAttempts: 0 });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'maxAttempts');
    const notJson = await fetch(`${base}/v1/tasks`, { method: 'POST', headers: { authorization: 'Bearer good' }, body: 'nope' });
    assert.equal(notJson.status, 400);
    assert.equal((await call('GET', '/v1/tasks/nope')).status, 404);
    assert.equal((await call('DELETE', '/v1/tasks/nope')).status, 404);
    assert.equal((await call('GET', '/v1/tasks?limit=0')).json.error.field, 'limit');
  });

  it('cancels with DELETE, and refuses to cancel a finished task', async () => {
    const running = await call('POST', '/v1/tasks', { target: 'forever', input: {} });
    while (!fake.calls.some((c) => c.context.taskId === running.json.id)) await new Promise((r) => setTimeout(r, 5));
    const cancelled = await call('DELETE', `/v1/tasks/${running.json.id}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.json.state, 'cancelled');
    const finished = await call('POST', '/v1/tasks', { target: 'echo', input: { fin: 1 } });
    await scheduler.waitFor(finished.json.id);
    assert.equal((await call('DELETE', `/v1/tasks/${finished.json.id}`)).status, 409);
  });

  it('lists with filters and a cursor', async () => {
    const page = await call('GET', '/v1/tasks?limit=2');
    assert.equal(page.json.tasks.length, 2);
    assert.ok(page.json.nextCursor);
    const next = await call('GET', `/v1/tasks?limit=2&cursor=${page.json.nextCursor}`);
    assert.notEqual(next.json.tasks[0].id, page.json.tasks[0].id);
    const cancelled = await call('GET', '/v1/tasks?state=cancelled');
    assert.ok(cancelled.json.tasks.every((t: { state: string }) => t.state === 'cancelled'));
    assert.ok(cancelled.json.tasks.length >= 1);
  });

  it('streams a DAG’s events over SSE in order, ends with the final view, and resumes after Last-Event-ID', async () => {
    const dag = await call('POST', '/v1/tasks', {
      steps: [
        { id: 'first', target: 'echo', input: { s: 1 } },
        { id: 'second', target: 'wait', input: {}, dependsOn: ['first'] },
        { id: 'third', target: 'echo', input: { s: 3 }, dependsOn: ['second'] },
      ],
    });
    assert.equal(dag.status, 201);
    const streaming = fetch(`${base}/v1/tasks/${dag.json.id}/events`, { headers: { authorization: 'Bearer good' } });
    while (gate.open === undefined) await new Promise((r) => setTimeout(r, 5));
    gate.open();
    const response = await streaming;
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const events = parseSse(await response.text());
    const end = events.at(-1) as SseEvent;
    assert.equal(end.event, 'end');
    assert.equal(JSON.parse(end.data).state, 'succeeded');
    const steps = events.slice(0, -1).map((e) => JSON.parse(e.data) as { stepId: string | null; state: string; id: number });
    const names = steps.map((e) => `${e.stepId ?? 'dag'}:${e.state}`);
    const order = [
      'first:running',
      'first:succeeded',
      'second:queued',
      'second:running',
      'second:succeeded',
      'third:queued',
      'third:running',
      'third:succeeded',
      'dag:succeeded',
    ];
    assert.deepEqual(
      names.filter((n) => order.includes(n)),
      order,
    );
    assert.deepEqual(names.slice(0, 4).sort(), ['dag:queued', 'first:queued', 'second:blocked', 'third:blocked']);
    assert.ok(
      events.slice(0, -1).every((e, i, all) => i === 0 || Number(e.id) > Number(all[i - 1]?.id)),
      `ids increase: ${events.map((e) => e.id).join(',')}`,
    );
    const resumeAfter = steps[4] as { id: number };
    const resumed = await fetch(`${base}/v1/tasks/${dag.json.id}/events`, {
      headers: { authorization: 'Bearer good', 'last-event-id': String(resumeAfter.id) },
    });
    const rest = parseSse(await resumed.text());
    assert.deepEqual(
      rest.slice(0, -1).map((e) => Number(e.id)),
      steps.slice(5).map((e) => e.id),
    );
  });

  it('serves the JSON Schemas at /v1/schema', async () => {
    const { json } = await call('GET', '/v1/schema');
    for (const name of ['task-submission', 'dag-submission', 'batch-submission', 'task-view', 'task-event', 'api-error'])
      assert.ok(json[name], name);
    assert.deepEqual(json['task-submission'].required, ['target']);
  });

  it('submits and follows a task over the WebSocket', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/ws`, { headers: { authorization: 'Bearer good' } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const messages: Record<string, unknown>[] = [];
    const ended = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        const message = JSON.parse(String(data));
        messages.push(message);
        if (message.op === 'end') resolve();
      }),
    );
    ws.send(JSON.stringify({ op: 'submit', ref: 'r1', task: { target: 'echo', input: { via: 'ws' } } }));
    await ended;
    ws.send(JSON.stringify({ op: 'status', ref: 'r2', id: 'nope' }));
    ws.send('not json');
    await new Promise((r) => setTimeout(r, 100));
    ws.close();
    assert.equal(messages[0]?.op, 'submitted');
    assert.equal(messages[0]?.ref, 'r1');
    const states = messages.filter((m) => m.op === 'event').map((m) => (m.event as { state: string }).state);
    assert.deepEqual(states, ['queued', 'running', 'succeeded']);
    assert.equal((messages.find((m) => m.op === 'end') as { task: { state: string } }).task.state, 'succeeded');
    const errors = messages.filter((m) => m.op === 'error').map((m) => (m.error as { code: string }).code);
    assert.deepEqual(errors.sort(), ['INVALID_ARGUMENT', 'NOT_FOUND']);
    assert.equal(fake.calls.find((c) => c.input.via === 'ws')?.context.principal?.id, 'key:ws');
  });

  it('refuses a WebSocket without credentials', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/ws`);
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 401);
  });

  it('offers the same operations as hub__ MCP tools', async () => {
    const tools = new Map(taskTools(scheduler).map((t) => [t.definition.name, t]));
    assert.deepEqual([...tools.keys()], ['hub__submit_task', 'hub__task_status', 'hub__cancel_task', 'hub__list_tasks']);
    for (const tool of tools.values()) assert.equal(tool.definition.inputSchema.type, 'object');
    const ctx = { correlationId: 'mcp-1', principal: { id: 'key:mcp', role: 'tester' } };
    const submitted = await tools.get('hub__submit_task')!.call({ target: 'echo', input: { via: 'mcp' } }, ctx);
    const id = (submitted.structuredContent as { id: string }).id;
    const status = await tools.get('hub__task_status')!.call({ id, waitMs: 10_000 }, ctx);
    assert.equal((status.structuredContent as { state: string }).state, 'succeeded');
    assert.match((status.content[0] as { text: string }).text, /succeeded after 1 attempt/);
    const denied = await tools.get('hub__submit_task')!.call({ target: 'denied', input: {} }, ctx);
    const deniedView = await scheduler.waitFor((denied.structuredContent as { id: string }).id);
    assert.equal(deniedView.error?.code, 'ACL_DENIED');
    const listed = await tools.get('hub__list_tasks')!.call({ state: 'failed' }, ctx);
    assert.ok((listed.structuredContent as { tasks: { id: string }[] }).tasks.some((t) => t.id === deniedView.id));
    const cancelDone = await tools.get('hub__cancel_task')!.call({ id }, ctx);
    assert.equal(cancelDone.isError, true);
    assert.equal((cancelDone._meta!['switchboard/error'] as { code: string }).code, 'CONFLICT');
    const bad = await tools.get('hub__task_status')!.call({}, ctx);
    assert.equal((bad._meta!['switchboard/error'] as { field: string }).field, 'id');
  });
});
