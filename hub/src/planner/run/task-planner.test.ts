import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { loadPlans, loadRoles, parsePlan, parseRole } from '../../config/index.ts';
import { planWithModel } from './llm-task-planner.ts';
import { PlanError, type PlanningContext, planDeterministically } from './task-planner.ts';
import { runInput, testRoles } from './testing.ts';

const rolesDir = join(import.meta.dirname, '../../../../roles');
const shipped = { roles: loadRoles(rolesDir), plans: loadPlans(rolesDir) };
const ctx = (over: Partial<PlanningContext> = {}): PlanningContext => ({ runId: 'run-1', round: 1, maxSteps: 20, ...shipped, ...over });

function planError(fn: () => unknown): PlanError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof PlanError, String(error));
    return error;
  }
  assert.fail('expected a PlanError');
}

describe('deterministic planner', () => {
  it('matches the shipped implement-with-tests template: coder → tester → archivist, a round directory each', () => {
    const plan = planDeterministically(
      runInput('implement function slugify with tests', { context: { workspace: 'e2e/s' } }),
      ctx({ round: 2, feedback: 'red' }),
    );
    assert.equal(plan.source, 'implement-with-tests');
    assert.deepEqual(
      plan.steps.map((s) => [s.id, s.role, s.task, s.dependsOn]),
      [
        ['code', 'coder', 'implement slugify with tests', []],
        ['test', 'tester', 'test slugify', ['code']],
        ['archive', 'archivist', 'archive run of slugify', ['test']],
      ],
    );
    assert.equal(plan.steps[0]?.context.workspace, 'e2e/s/r2');
    assert.equal(plan.steps[2]?.context.title, 'implement function slugify with tests');
    assert.deepEqual(plan.review, { role: 'reviewer', maxRounds: 3 });
    assert.equal(plan.acceptance, 'src/slugify.ts exists, test/slugify.test.ts passes under node --test, and the artifacts are archived');
  });

  it('falls back to one role whose playbook matches, the highest priority first', () => {
    const read = planDeterministically(runInput('read notes/a.md'), ctx());
    assert.equal(read.source, 'reader/read', 'reader (priority 10) beats the others');
    assert.deepEqual(read.steps, [{ id: 'reader', role: 'reader', task: 'read notes/a.md', context: { playbook: 'read' }, dependsOn: [] }]);
    assert.equal(planDeterministically(runInput('how do I deploy?'), ctx()).source, 'librarian/answer', 'the catch-all answers the rest');
    assert.equal(planDeterministically(runInput('query SELECT 1'), ctx()).source, 'analyst/query');
  });

  it('takes a named plan, role, or role/playbook', () => {
    assert.equal(planDeterministically(runInput('anything', { playbook: 'implement-with-tests' }), ctx()).steps.length, 3);
    assert.equal(planDeterministically(runInput('anything', { playbook: 'coder/write' }), ctx()).steps[0]?.context.playbook, 'write');
    assert.equal(planDeterministically(runInput('anything', { playbook: 'tester' }), ctx()).source, 'tester');
    const unknown = planError(() => planDeterministically(runInput('x', { playbook: 'coder/nope' }), ctx()));
    assert.equal(unknown.field, 'playbook');
    assert.match(unknown.message, /no plan or role playbook 'coder\/nope' \(plans: implement-with-tests; roles: /);
  });

  it('takes explicit steps, checked: roles exist, ids unique, dependencies known, no cycle, not too many', () => {
    const step = (id: string, role: string, dependsOn: string[] = []) => ({ id, role, task: id, context: {}, dependsOn });
    const roles = { roles: testRoles, plans: [] };
    assert.equal(planDeterministically(runInput('x', { steps: [step('a', 'coder')] }), ctx(roles)).source, 'explicit');
    const cases: [ReturnType<typeof step>[], RegExp][] = [
      [[step('a', 'wizard')], /steps\[0\]\.role: no role 'wizard'/],
      [[step('a', 'coder'), step('a', 'tester')], /steps\[1\]\.id: 'a' is used twice/],
      [[step('a', 'coder', ['b'])], /steps\[0\]\.dependsOn: no other step 'b'/],
      [[step('a', 'coder', ['b']), step('b', 'coder', ['a'])], /the steps form a cycle: a → b → a/],
    ];
    for (const [steps, why] of cases)
      assert.match(planError(() => planDeterministically(runInput('x', { steps }), ctx(roles))).message, why);
    const many = Array.from({ length: 4 }, (_v, i) => step(`s${i}`, 'coder'));
    assert.match(
      planError(() => planDeterministically(runInput('x', { steps: many }), ctx({ ...roles, maxSteps: 3 }))).message,
      /at most 3 \(planner\.maxSteps\)/,
    );
  });

  it('says what it knows when nothing matches', () => {
    const error = planError(() =>
      planDeterministically(
        runInput('juggle'),
        ctx({ roles: [parseRole('name: a\ndescription: a\ntools: { allow: [x] }\n', 'roles/a.yaml')] }),
      ),
    );
    assert.equal(error.field, 'task');
    assert.match(
      error.message,
      /no plan template or role playbook matches this task; name one with `playbook` \(plans: implement-with-tests\)/,
    );
  });

  it('renders template steps per round: `when` drops a step and the dependencies on it', () => {
    const template = parsePlan(
      `name: t
match: '^go (?<what>\\w+)'
vars: { where: 'out/{{what}}-{{round}}' }
steps:
  - { id: a, role: coder, task: 'make {{what}} in {{where}}', context: { n: '{{round}}' } }
  - { id: b, role: reviewer, task: 'look again at {{feedback}}', dependsOn: [a], when: feedback }
  - { id: c, role: tester, task: check, dependsOn: [a, b] }
`,
      'roles/plans/t.yaml',
    );
    const first = planDeterministically(runInput('go fast'), ctx({ roles: testRoles, plans: [template] }));
    assert.deepEqual(
      first.steps.map((s) => [s.id, s.task, s.dependsOn]),
      [
        ['a', 'make fast in out/fast-1', []],
        ['c', 'check', ['a']],
      ],
    );
    assert.equal(first.steps[0]?.context.n, 1, 'a whole placeholder keeps its type');
    const second = planDeterministically(runInput('go fast'), ctx({ roles: testRoles, plans: [template], round: 2, feedback: 'typo' }));
    assert.deepEqual(
      second.steps.map((s) => [s.id, s.task]),
      [
        ['a', 'make fast in out/fast-2'],
        ['b', 'look again at typo'],
        ['c', 'check'],
      ],
    );
  });
});

describe('LLM planner (structured output from a scripted fake model)', () => {
  const good = {
    steps: [
      { id: 'code', role: 'coder', task: 'write add()', dependsOn: [] },
      { id: 'test', role: 'tester', task: 'test add', dependsOn: ['code'] },
    ],
    acceptance: 'tests pass',
  };
  const options = { maxAttempts: 3 };

  it('takes a valid plan from the submit_plan call, with the reviewer when there is one', async () => {
    const model = fakeModel().respondWithTools([{ name: 'submit_plan', args: good }]);
    const plan = await planWithModel(
      model,
      runInput('add two numbers', { context: { lang: 'ts' } }),
      ctx({ roles: testRoles, plans: [] }),
      options,
    );
    assert.equal(plan.source, 'llm');
    assert.deepEqual(
      plan.steps.map((s) => [s.id, s.role, s.dependsOn]),
      [
        ['code', 'coder', []],
        ['test', 'tester', ['code']],
      ],
    );
    assert.deepEqual(plan.review, { role: 'reviewer', maxRounds: 2 });
    const [system, human] = model.calls[0]?.messages ?? [];
    assert.match(String(system?.content), /- coder: writes code \(tools: fs__\*\)\n- tester: runs tests/);
    assert.match(String(human?.content), /^Task: add two numbers\n\nContext \(JSON\):\n\{\n {2}"lang": "ts"\n\}$/);
  });

  it('accepts a JSON reply without the tool call', async () => {
    const model = fakeModel().respond(new AIMessage(`\`\`\`json\n${JSON.stringify(good)}\n\`\`\``));
    assert.equal((await planWithModel(model, runInput('x'), ctx({ roles: testRoles, plans: [] }), options)).steps.length, 2);
  });

  it('sends a malformed or invalid plan back with the reason, and takes the corrected one', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'submit_plan', args: { steps: [{ id: 'x', role: 'wizard', task: 'magic' }] } }])
      .respondWithTools([{ name: 'submit_plan', args: { steps: 'all of them' } }])
      .respondWithTools([{ name: 'submit_plan', args: good }]);
    const plan = await planWithModel(model, runInput('x'), ctx({ roles: testRoles, plans: [] }), options);
    assert.equal(plan.steps.length, 2);
    const feedback = model.calls[1]?.messages.at(-1);
    assert.match(
      String(feedback?.content),
      /^Invalid plan: steps\[0\]\.role: no role 'wizard' \(roles: archivist, coder, ops, reviewer, tester\)\. Call submit_plan again/,
    );
    assert.match(String(model.calls[2]?.messages.at(-1)?.content), /^Invalid plan: steps: Invalid input: expected array/);
  });

  it('fails clearly after maxAttempts malformed plans', async () => {
    const model = fakeModel()
      .respond(new AIMessage('I would rather not.'))
      .respond(new AIMessage('{"steps": ['))
      .respond(new AIMessage('still no'));
    await assert.rejects(planWithModel(model, runInput('x'), ctx({ roles: testRoles, plans: [] }), options), (error: PlanError) => {
      assert.equal(error.code, 'MODEL_OUTPUT_INVALID');
      assert.equal(
        error.message,
        'the model gave no valid plan in 3 attempts; last problem: no submit_plan call, and the text is not a JSON plan',
      );
      return true;
    });
    assert.equal(model.callCount, 3);
  });

  it('holds plans from a model to the same limits: step count, cycles', async () => {
    const cyclic = {
      steps: [
        { id: 'a', role: 'coder', task: 'a', dependsOn: ['b'] },
        { id: 'b', role: 'coder', task: 'b', dependsOn: ['a'] },
      ],
    };
    const model = fakeModel().respondWithTools([{ name: 'submit_plan', args: cyclic }]);
    await assert.rejects(
      planWithModel(model, runInput('x'), ctx({ roles: testRoles, plans: [] }), { maxAttempts: 1 }),
      /the steps form a cycle: a → b → a/,
    );
  });
});
