import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningHub, startHub } from './support/harness.ts';

// /ready is what a load balancer or Kubernetes asks before sending work: a hub whose task store is
// gone would accept tasks it cannot keep, so the store counts as much as the upstreams.
describe('/ready', () => {
  let running: RunningHub;
  before(async () => {
    running = await startHub({ upstreams: {} });
  });
  after(() => running.close());

  it('is 200 with the task store reachable, 503 naming it once the store is gone', async () => {
    const ok = await fetch(`${running.origin}/ready`);
    assert.equal(ok.status, 200);
    assert.deepEqual(((await ok.json()) as { tasks: unknown }).tasks, { store: 'sqlite', reachable: true });
    await running.hub.tasks.scheduler.store.close();
    const gone = await fetch(`${running.origin}/ready`);
    assert.equal(gone.status, 503);
    const body = (await gone.json()) as { ready: boolean; tasks: unknown };
    assert.equal(body.ready, false);
    assert.deepEqual(body.tasks, { store: 'sqlite', reachable: false });
  });
});

describe('/metrics queue depth', () => {
  let running: RunningHub;
  before(async () => {
    // Never connected: a configured upstream is a valid task target all the same, and no worker runs here.
    running = await startHub({ upstreams: { later: { url: 'http://127.0.0.1:9/mcp' } } });
  });
  after(() => running.close());

  it('reports the tasks waiting in the shared store as switchboard_queue_depth', async () => {
    const { scheduler } = running.hub.tasks;
    for (const say of ['a', 'b']) await scheduler.submit({ target: 'later__echo', input: { say } });
    const body = await (await fetch(`${running.origin}/metrics`)).text();
    assert.match(body, /^switchboard_queue_depth\{queue="default"\} 2$/m);
  });
});
