import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { errorOfResult } from '@switchboard/kit';
import { parseRole, type Role } from '../src/config/index.ts';
import { serveHubHttp } from '../src/faces/index.ts';
import { Hub } from '../src/hub.ts';
import type { RunView } from '../src/planner/run/index.ts';
import { agentPrincipal } from '../src/policy/index.ts';
import { loadedConfig, probeUpstream, selfCommand, testLogger } from './support/harness.ts';

const calc = parseRole(
  `name: calc
description: doubles numbers with the probe
tools: { allow: [probe__structured] }
playbooks:
  - name: double
    match: '^double (?<n>\\d+)$'
    steps: [{ id: d, tool: probe__structured, arguments: { n: '{{n | number}}' } }]
    output: { doubled: '{{steps.d.structured.doubled}}' }
`,
  'roles/calc.yaml',
);
const ops = parseRole(
  `name: ops
description: changes things, so a person approves every run
tools: { allow: [probe__structured] }
requiresApproval: true
playbooks:
  - { name: poke, match: '^poke$', steps: [{ tool: probe__structured, arguments: { n: 1 } }] }
`,
  'roles/ops.yaml',
);

interface Started {
  hub: Hub;
  origin: string;
  close(): Promise<void>;
}

async function start(
  roles: Role[],
  planner: Record<string, unknown> = {},
  modelFactory?: () => Promise<ReturnType<typeof fakeModel>>,
): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-planner-hub-'));
  const loaded = loadedConfig(
    { upstreams: { probe: probeUpstream() }, tasks: { store: 'sqlite', workers: 2, pollMs: 50, sweepMs: 100 }, planner },
    dir,
  );
  const hub = await Hub.start({ loaded, roles, plans: [], logger: testLogger(), selfCommand, ...(modelFactory ? { modelFactory } : {}) });
  hub.tasks.start();
  const face = await serveHubHttp(hub, '127.0.0.1', 0);
  return {
    hub,
    origin: new URL(face.url).origin,
    close: async () => {
      await face.close();
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const view = (result: { structuredContent?: unknown }) => result.structuredContent as RunView;

describe('planner runs through the hub (scheduler, approvals, REST)', () => {
  let s: Started;
  const call = (name: string, args: Record<string, unknown>, principal = s.hub.localPrincipal) =>
    s.hub.callTool(name, args, { principal, correlationId: `test-${name}` });
  before(async () => {
    s = await start([calc, ops]);
  });
  after(() => s?.close());

  it('runs independent steps directly and dependent ones as a scheduler DAG, as the caller', async () => {
    const step = (id: string, n: number, dependsOn: string[] = []) => ({ id, role: 'calc', task: `double ${n}`, dependsOn });
    const result = await call('hub__run_task', {
      task: 'double some',
      steps: [step('a', 1), step('b', 2), step('c', 3, ['b'])],
      waitMs: 60_000,
    });
    const run = view(result);
    assert.equal(run.status, 'succeeded', JSON.stringify(run));
    assert.deepEqual(run.report?.steps.map((o) => [o.stepId, o.via, o.output?.doubled]).sort(), [
      ['a', 'direct', 2],
      ['b', 'dag', 4],
      ['c', 'dag', 6],
    ]);
    const dagStep = run.report?.steps.find((o) => o.stepId === 'c');
    const task = await s.hub.tasks.scheduler.get(dagStep?.taskId as string);
    assert.equal(task?.target, 'agent__calc');
    const runTask = await s.hub.tasks.scheduler.get(run.runId);
    assert.equal(runTask?.target, 'hub__run_task', 'the run itself is a stored task');
    const records = await s.hub.auditStore.query({ correlationId: 'test-hub__run_task' });
    assert.ok(
      records.some((r) => r.tool === 'probe__structured' && r.principal === 'agent:calc'),
      'agent calls ran under the role',
    );
  });

  it('a role marked requiresApproval makes the run wait; only a person approves; the run then finishes', async () => {
    const waiting = view(await call('hub__run_task', { task: 'poke', waitMs: 60_000 }));
    assert.equal(waiting.status, 'awaiting_approval', JSON.stringify(waiting));
    assert.deepEqual(
      waiting.approval?.steps.map((st) => [st.id, st.why]),
      [['ops', "role 'ops' requires approval"]],
    );

    const asAgent = await call('hub__approve', { runId: waiting.runId }, agentPrincipal('calc', s.hub.localPrincipal));
    assert.equal(errorOfResult(asAgent)?.code, 'ACL_DENIED');
    const direct = await call('agent__ops', { task: 'poke' });
    assert.equal(errorOfResult(direct)?.code, 'APPROVAL_REQUIRED', 'calling the role directly skips no approval');
    const forged = await call('agent__ops', { task: 'poke', context: { run: { id: waiting.runId, step: 'ops' } } });
    assert.equal(errorOfResult(forged)?.code, 'APPROVAL_REQUIRED', 'naming the waiting run does not approve it');

    const approved = view(await call('hub__approve', { runId: waiting.runId, note: 'looks fine' }));
    assert.ok(['resuming', 'running', 'succeeded'].includes(approved.status), approved.status);
    const again = await call('hub__approve', { runId: waiting.runId });
    assert.ok(again.isError === undefined || (errorOfResult(again)?.code as string) === 'CONFLICT', 'a second approval changes nothing');
    const done = view(await call('hub__run_status', { runId: waiting.runId, waitMs: 60_000 }));
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.deepEqual(
      done.report?.approvals.map((g) => [g.stepId, g.by, g.note]),
      [['ops', s.hub.localPrincipal.id, 'looks fine']],
    );

    const someoneElse = { id: 'key:mallory', role: 'admin', kind: 'api-key' as const };
    const replay = await call('agent__ops', { task: 'poke', context: { run: { id: waiting.runId, step: 'ops' } } }, someoneElse);
    assert.equal(errorOfResult(replay)?.code, 'APPROVAL_REQUIRED', "another principal cannot reuse the run's approval");
  });

  it('REST: POST /v1/runs, reject with a note, GET the rejected run', async () => {
    const created = await fetch(`${s.origin}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task: 'poke', waitMs: 60_000 }),
    });
    assert.equal(created.status, 201);
    const run = (await created.json()) as RunView;
    assert.equal(run.status, 'awaiting_approval');
    const rejected = await fetch(`${s.origin}/v1/runs/${run.runId}/reject`, {
      method: 'POST',
      body: JSON.stringify({ note: 'not during the freeze' }),
    });
    assert.equal(rejected.status, 200);
    const final = (await (await fetch(`${s.origin}/v1/runs/${run.runId}?waitMs=60000`)).json()) as RunView;
    assert.equal(final.status, 'rejected');
    assert.equal(final.report?.error?.code, 'APPROVAL_REJECTED');
    assert.match(final.report?.error?.message ?? '', /not during the freeze/);
    assert.equal(final.report?.steps.length, 0, 'nothing ran');
    const unknown = await fetch(`${s.origin}/v1/runs/nope`);
    assert.equal(unknown.status, 404);
    const bad = await fetch(`${s.origin}/v1/runs`, { method: 'POST', body: JSON.stringify({ task: 7 }) });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { field: string } }).error.field, 'task');
  });

  it('hub__run_task names bad fields and refuses internal ones', async () => {
    assert.equal(errorOfResult(await call('hub__run_task', { task: '' }))?.field, 'task');
    assert.equal(errorOfResult(await call('hub__run_task', { task: 'x', resume: { approved: true, by: 'me' } }))?.code, 'INVALID_ARGUMENT');
    assert.equal(errorOfResult(await call('hub__run_status', { runId: 'no-such-run' }))?.code, 'NOT_FOUND');
  });

  it('hot reload: a new role is served, and the policy lets it act', async () => {
    const doubler = { ...calc, name: 'doubler', description: 'doubles too' };
    assert.equal(s.hub.has('agent__doubler'), false);
    s.hub.applyRoles({ roles: [calc, ops, doubler], plans: [] });
    assert.ok(s.hub.listTools().some((t) => t.name === 'agent__doubler'));
    const result = await call('agent__doubler', { task: 'double 21' });
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.deepEqual((result.structuredContent as { output: unknown }).output, { doubled: 42 });
  });
});

describe('LLM mode through the hub (scripted fake model)', () => {
  let s: Started;
  const model = fakeModel();
  before(async () => {
    s = await start([calc], { mode: 'llm', model: 'openai:fake-model' }, async () => model);
  });
  after(() => s?.close());

  it('plans with the model, the role agent calls its tools through the hub, a tool outside the role is refused', async () => {
    model
      .respondWithTools([
        { name: 'submit_plan', args: { steps: [{ id: 'twice', role: 'calc', task: 'double 21 for me', dependsOn: [] }] } },
      ])
      .respondWithTools([{ name: 'probe__crash', args: {} }])
      .respondWithTools([{ name: 'probe__structured', args: { n: 21 } }])
      .respond(new AIMessage('21 doubled is 42.'));
    const result = await s.hub.callTool(
      'hub__run_task',
      { task: 'double 21', waitMs: 60_000 },
      { principal: s.hub.localPrincipal, correlationId: 'llm-run' },
    );
    const run = view(result);
    assert.equal(run.status, 'succeeded', JSON.stringify(run));
    assert.equal(run.plan?.source, 'llm');
    assert.equal(run.report?.steps[0]?.answer, '21 doubled is 42.');
    const records = await s.hub.auditStore.query({ correlationId: 'llm-run' });
    assert.deepEqual(
      records.filter((r) => r.principal === 'agent:calc').map((r) => [r.tool, r.outcome]),
      [['probe__structured', 'ok']],
      'the refused probe__crash never reached the hub',
    );
    assert.match(
      String(model.calls[1]?.messages[0]?.content),
      /Use only these tools: probe__structured\./,
      'the model sees only its role’s tools',
    );
  });
});
