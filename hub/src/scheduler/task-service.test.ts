import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { TasksConfigSchema } from '../config/tasks-schema.ts';
import type { TaskApiError } from './errors.ts';
import { TaskService } from './task-service.ts';

class UnknownToolError extends Error {
  override readonly name = 'UnknownToolError';
}

/** A stand-in hub: `fs` is configured; its tools exist once `connected`. */
function fakeHost() {
  const calls: { name: string; principal: unknown }[] = [];
  const host = {
    connected: false,
    localPrincipal: { id: 'local:me', role: 'admin' },
    config: { upstreams: { fs: {} } },
    has: (name: string) => host.connected && name.startsWith('fs__'),
    async callTool(name: string, _args: Record<string, unknown>, options: { principal: unknown }): Promise<CallToolResult> {
      calls.push({ name, principal: options.principal });
      if (!host.has(name)) throw new UnknownToolError(`unknown tool '${name}'`);
      return { content: [{ type: 'text', text: 'ok' }] };
    },
  };
  return { host, calls };
}

const silent = { error: () => {} };

describe('the hub task service', () => {
  it('checks targets at submit: unknown tools and hub__ tools are refused, a configured upstream may still be connecting', async () => {
    const { host } = fakeHost();
    const service = await TaskService.open(TasksConfigSchema.parse({ store: 'memory' }), '/nonexistent', host, silent);
    try {
      for (const target of ['nope__tool', 'hub__submit_task', 'plain']) {
        await assert.rejects(
          service.scheduler.submit({ target, input: {} }),
          (e: TaskApiError) => e.code === 'INVALID_ARGUMENT' && e.field === 'target',
        );
      }
      const { task } = await service.scheduler.submit({ target: 'fs__read_file', input: {} });
      assert.equal(task.state, 'queued');
      assert.deepEqual(
        service.tools.map((t) => t.definition.name),
        ['hub__submit_task', 'hub__task_status', 'hub__cancel_task', 'hub__list_tasks'],
      );
      assert.equal(service.tool('hub__task_status')?.definition.name, 'hub__task_status');
      assert.equal(service.tool('fs__read_file'), undefined);
    } finally {
      await service.close();
    }
  });

  it('runs each task as its submitter (else the local user), retrying while the upstream is not connected', async () => {
    const { host, calls } = fakeHost();
    const config = TasksConfigSchema.parse({ store: 'memory', pollMs: 20, sweepMs: 50 });
    const service = await TaskService.open(config, '/nonexistent', host, silent);
    service.start();
    try {
      const waiting = (
        await service.scheduler.submit(
          { target: 'fs__read_file', input: {}, maxAttempts: 5, backoff: { baseMs: 20, factor: 1, maxMs: 20, jitter: 0 } },
          { principal: { id: 'key:ci', role: 'developer' } },
        )
      ).task;
      while (calls.length < 1) await new Promise((r) => setTimeout(r, 5));
      host.connected = true;
      const done = await service.scheduler.waitFor(waiting.id, 20_000);
      assert.equal(done.state, 'succeeded');
      assert.ok(done.attempts >= 2, 'the first attempt met a disconnected upstream and was retried');
      assert.ok(calls.every((c) => (c.principal as { id: string }).id === 'key:ci'));
      const local = (await service.scheduler.submit({ target: 'fs__stat', input: {} })).task;
      await service.scheduler.waitFor(local.id, 20_000);
      assert.equal((calls.at(-1)!.principal as { id: string }).id, 'local:me');
    } finally {
      await service.close();
    }
  });
});
