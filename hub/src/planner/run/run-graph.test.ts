import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type BaseCheckpointSaver, Command, MemorySaver } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import type { PlanStep, RunReport } from './plan-model.ts';
import { compileRunGraph } from './run-graph.ts';
import { fail, fakeDeps, ok, runInput, startState } from './testing.ts';

const step = (id: string, role: string, dependsOn: string[] = [], context: Record<string, unknown> = {}): PlanStep => ({
  id,
  role,
  task: `${id} it`,
  context,
  dependsOn,
});

let threads = 0;
async function run(
  deps: Parameters<typeof compileRunGraph>[0],
  input: ReturnType<typeof runInput>,
  saver: BaseCheckpointSaver = new MemorySaver(),
) {
  const graph = compileRunGraph(deps, saver);
  const runId = `run-${++threads}`;
  const config = { configurable: { thread_id: runId } };
  const state = await graph.invoke(startState(runId, input), config);
  return { graph, config, state, report: state.finalReport as RunReport | undefined, runId };
}

describe('run graph edges', () => {
  it('START → plan → approve → dispatch → execute → review → report: one independent step runs directly', async () => {
    const { deps, calls, events } = fakeDeps(() => ok('done', { artifacts: { log: 'runs/1/log.txt' } }));
    const { report, runId } = await run(deps, runInput('x', { steps: [step('only', 'coder')] }));
    assert.equal(report?.status, 'succeeded');
    assert.deepEqual(
      calls.map((c) => [c.role, c.via]),
      [['coder', 'direct']],
    );
    assert.deepEqual(calls[0]?.context.run, { id: runId, step: 'only' }, 'the agent learns its run and step (approvals)');
    assert.deepEqual(report?.artifacts, { log: 'runs/1/log.txt' });
    assert.deepEqual(
      events.map((e) => e.type),
      ['plan', 'step', 'step', 'review', 'report'],
    );
  });

  it('dispatch: independent steps fan out with Send, dependent ones go to the scheduler as one DAG', async () => {
    const { deps, calls, dags } = fakeDeps((role) => ok(`${role} ok`));
    const steps = [step('a', 'coder'), step('b', 'tester'), step('c', 'coder'), step('d', 'archivist', ['c'])];
    const { report } = await run(deps, runInput('x', { steps }));
    assert.equal(report?.status, 'succeeded');
    assert.deepEqual(
      calls
        .filter((c) => c.via === 'direct')
        .map((c) => c.task)
        .sort(),
      ['a it', 'b it'],
    );
    assert.equal(dags.length, 1);
    assert.deepEqual(
      dags[0]?.steps.map((s) => [s.id, s.target, s.dependsOn ?? []]),
      [
        ['c', 'agent__coder', []],
        ['d', 'agent__archivist', ['c']],
      ],
    );
    assert.match(String(dags[0]?.idempotencyKey), /^run:run-\d+:round:1$/);
    assert.deepEqual(report?.steps.map((s) => [s.stepId, s.via]).sort(), [
      ['a', 'direct'],
      ['b', 'direct'],
      ['c', 'dag'],
      ['d', 'dag'],
    ]);
  });

  it('plan → report: a plan that cannot be made ends the run with the reason', async () => {
    const { deps, calls } = fakeDeps(() => ok('x'));
    const { report } = await run(deps, runInput('x', { steps: [step('a', 'wizard')] }));
    assert.equal(report?.status, 'failed');
    assert.equal(report?.error?.code, 'INVALID_ARGUMENT');
    assert.match(report?.error?.message ?? '', /no role 'wizard'/);
    assert.equal(calls.length, 0);
  });

  it('dispatch → review: an empty plan goes straight to review', async () => {
    const { deps } = fakeDeps(() => ok('x'));
    const { report } = await run(deps, runInput('x', { playbook: 'empty' }), undefined).catch(() => ({ report: undefined }));
    // an unknown playbook is a planning failure; an empty plan can only come from a template (below)
    assert.equal(report?.status, 'failed');
    const plans = () => [{ name: 'empty', vars: {}, review: { maxRounds: 1 }, steps: [{ ...step('a', 'coder'), when: 'false' }] }];
    const empty = fakeDeps(() => ok('x'), { plans });
    const result = await run(empty.deps, runInput('x', { playbook: 'empty' }));
    assert.equal(result.report?.status, 'succeeded');
    assert.equal(empty.calls.length, 0);
  });

  it('review → plan: a failed round goes back with feedback, and the next round passes', async () => {
    const { deps, calls } = fakeDeps((role, input) =>
      role === 'tester' && input.context.round === 1 ? fail('CHECK_FAILED', 'tests failed: expected 5, got 6') : ok(`${role} ok`),
    );
    const plans = () => [
      {
        name: 'impl',
        match: '^implement',
        vars: {},
        review: { maxRounds: 3 },
        steps: [step('code', 'coder'), step('test', 'tester', ['code'])],
      },
    ];
    const { report } = await run({ ...deps, plans }, runInput('implement add'));
    assert.equal(report?.status, 'succeeded');
    assert.equal(report?.rounds, 2);
    const secondCoder = calls.filter((c) => c.role === 'coder')[1];
    assert.equal(secondCoder?.context.round, 2);
    assert.match(String(secondCoder?.context.feedback), /step 'test' \(tester\) failed: CHECK_FAILED: tests failed: expected 5, got 6/);
    assert.deepEqual(
      report?.reviews.map((r) => r.verdict),
      ['rejected', 'approved'],
    );
  });

  it('review → report: rework is bounded by maxRounds', async () => {
    const { deps, calls } = fakeDeps((role) => (role === 'tester' ? fail('CHECK_FAILED', 'still red') : ok('ok')));
    const plans = () => [
      {
        name: 'impl',
        match: '^implement',
        vars: {},
        review: { maxRounds: 2 },
        steps: [step('code', 'coder'), step('test', 'tester', ['code'])],
      },
    ];
    const { report } = await run({ ...deps, plans }, runInput('implement add'));
    assert.equal(report?.status, 'failed');
    assert.equal(report?.rounds, 2);
    assert.equal(calls.filter((c) => c.role === 'tester').length, 2);
    assert.equal(report?.error?.code, 'CHECK_FAILED');
  });

  it('review → report: a denial is final, with no rework round', async () => {
    const { deps, calls } = fakeDeps((role) =>
      role === 'tester' ? fail('ACL_DENIED', "role 'tester' may not call 'fs__delete'") : ok('ok'),
    );
    const plans = () => [
      {
        name: 'impl',
        match: '^implement',
        vars: {},
        review: { role: 'reviewer', maxRounds: 3 },
        steps: [step('code', 'coder'), step('test', 'tester', ['code'])],
      },
    ];
    const { report } = await run({ ...deps, plans }, runInput('implement add'));
    assert.equal(report?.status, 'failed');
    assert.equal(report?.rounds, 1);
    assert.equal(report?.error?.code, 'ACL_DENIED');
    assert.ok(!calls.some((c) => c.role === 'reviewer'), 'no review of a denial');
  });

  it('review with a reviewer role: its refusal is the feedback of the next round', async () => {
    let reviews = 0;
    const { deps, calls } = fakeDeps((role, input) => {
      if (role !== 'reviewer') return ok(`${role} round ${input.context.round}`);
      reviews++;
      return reviews === 1 ? fail('CHECK_FAILED', 'no tests for the empty string') : ok('looks good');
    });
    const plans = () => [
      {
        name: 'impl',
        match: '^implement',
        acceptance: 'tests cover edge cases',
        vars: {},
        review: { role: 'reviewer', maxRounds: 2 },
        steps: [step('code', 'coder')],
      },
    ];
    const { report } = await run({ ...deps, plans }, runInput('implement add'));
    assert.equal(report?.status, 'succeeded');
    const review = calls.find((c) => c.role === 'reviewer');
    assert.equal(review?.task, 'review: implement add');
    assert.equal(review?.context.acceptance, 'tests cover edge cases');
    assert.deepEqual((review?.context.results as Record<string, { state: string }> | undefined)?.code?.state, 'succeeded');
    assert.equal(calls.filter((c) => c.role === 'coder')[1]?.context.feedback, 'no tests for the empty string');
  });

  it('approve: a role requiring approval interrupts; approving resumes, the grant is recorded', async () => {
    const { deps, calls } = fakeDeps(() => ok('deployed'));
    const { graph, config, state } = await run(deps, runInput('deploy', { steps: [step('deploy', 'ops')] }));
    assert.equal(state.finalReport, undefined);
    const pending = (state as { __interrupt__?: { value: { steps: { id: string; why: string }[] } }[] }).__interrupt__;
    assert.deepEqual(
      pending?.[0]?.value.steps.map((s) => [s.id, s.why]),
      [['deploy', "role 'ops' requires approval"]],
    );
    assert.equal(calls.length, 0, 'nothing ran before the approval');
    const done = await graph.invoke(new Command({ resume: { approved: true, by: 'local:alice', note: 'go' } }), config);
    assert.equal(done.finalReport?.status, 'succeeded');
    assert.deepEqual(
      done.finalReport?.approvals.map((g) => [g.stepId, g.by, g.note]),
      [['deploy', 'local:alice', 'go']],
    );
    assert.equal(calls.length, 1);
  });

  it('approve → report: a rejection ends the run without running anything', async () => {
    const { deps, calls } = fakeDeps(() => ok('deployed'));
    const { graph, config } = await run(deps, runInput('deploy', { steps: [step('deploy', 'ops')] }));
    const done = await graph.invoke(new Command({ resume: { approved: false, by: 'local:bob', note: 'not today' } }), config);
    assert.equal(done.finalReport?.status, 'rejected');
    assert.equal(done.finalReport?.error?.code, 'APPROVAL_REJECTED');
    assert.match(done.finalReport?.error?.message ?? '', /rejected by local:bob: not today/);
    assert.equal(calls.length, 0);
  });
});

describe('run graph checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-run-graph-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes from its checkpoint after a crash: finished steps are not run again', async () => {
    const file = join(dir, 'checkpoints.db');
    let crash = true;
    const first = fakeDeps((role) => ok(`${role} ok`));
    const crashingDag = first.deps.runDag;
    first.deps.runDag = async (...args) => {
      if (crash) throw new Error('hub killed');
      return crashingDag(...args);
    };
    const steps = [step('lint', 'tester'), step('code', 'coder'), step('store', 'archivist', ['code'])];
    const saver = SqliteSaver.fromConnString(file);
    await assert.rejects(run(first.deps, runInput('x', { steps }), saver), /hub killed/);
    assert.deepEqual(
      first.calls.map((c) => c.role),
      ['tester'],
      'the independent step finished before the crash',
    );
    saver.db.close();

    crash = false;
    const second = fakeDeps((role) => ok(`${role} ok`));
    const graph = compileRunGraph(second.deps, SqliteSaver.fromConnString(file));
    const config = { configurable: { thread_id: `run-${threads}` } };
    const done = await graph.invoke(null, config);
    assert.equal(done.finalReport?.status, 'succeeded');
    assert.deepEqual(
      second.calls.map((c) => c.role),
      ['coder', 'archivist'],
      'only the unfinished DAG ran after the restart',
    );
    assert.equal(done.finalReport?.steps.length, 3);
  });
});
