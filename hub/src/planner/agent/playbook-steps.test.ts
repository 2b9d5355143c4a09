import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult } from '@switchboard/kit';
import { parseRole } from '../../config/index.ts';
import { RoleAgent } from './role-agent.ts';
import type { ApprovalCheck } from './types.ts';

const tester = parseRole(
  `name: tester
description: runs tests
tools: { allow: [shell__run, fs__write_file] }
limits: { maxSteps: 5, maxToolCalls: 3 }
playbooks:
  - name: node-test
    match: '^test (?<fn>\\w+)$'
    steps:
      - id: run
        tool: shell__run
        arguments: { argv: [node, --test, 'test/{{fn}}.test.ts'], cwd: '{{workspace}}' }
      - id: log
        tool: fs__write_file
        arguments: { path: '{{workspace}}/test.log', content: 'exit {{steps.run.structured.exitCode}}: {{steps.run.structured.stdout}}' }
      - fail: 'tests failed (exit {{steps.run.structured.exitCode}}): {{steps.run.structured.stdout}}'
        when: steps.run.structured.exitCode != 0
    answer: 'passed; log at {{steps.log.structured.path}}'
    output: { exitCode: '{{steps.run.structured.exitCode}}', log: '{{steps.log.structured.path}}' }
  - name: drafts
    match: '^draft$'
    steps:
      - tool: fs__write_file
        when: round == 1
        arguments: { path: a.txt, content: '{{drafts[roundIndex]}}' }
      - tool: fs__write_file
        when: round > 1 && feedback
        arguments: { path: a.txt, content: '{{drafts[roundIndex]}} (after: {{feedback}})' }
  - name: chatty
    match: '^chatty$'
    steps:
      - { tool: fs__write_file, arguments: { path: '1', content: x } }
      - { tool: fs__write_file, arguments: { path: '2', content: x } }
      - { tool: fs__write_file, arguments: { path: '3', content: x } }
      - { tool: fs__write_file, arguments: { path: '4', content: x } }
`,
  'roles/tester.yaml',
);

function recorder(respond: (name: string, args: Record<string, unknown>) => CallToolResult) {
  const calls: { name: string; args: Record<string, unknown> }[] = [];
  return {
    calls,
    callTool: async (name: string, args: Record<string, unknown>) => {
      calls.push({ name, args });
      return respond(name, args);
    },
  };
}

const shellAnswer = (exitCode: number, stdout: string): CallToolResult => ({
  content: [{ type: 'text', text: stdout }],
  structuredContent: { exitCode, stdout, stderr: '' },
});
const written = (path: string): CallToolResult => ({ content: [{ type: 'text', text: `wrote ${path}` }], structuredContent: { path } });

describe('playbooks: templated steps, conditions, checks, answers and outputs', () => {
  const agent = new RoleAgent(tester);

  it('feeds earlier results into later steps and renders answer and output templates', async () => {
    const { calls, callTool } = recorder((name, args) => (name === 'shell__run' ? shellAnswer(0, '# pass 2') : written(String(args.path))));
    const result = await agent.run({ task: 'test add', context: { workspace: 'w/r1' } }, callTool);
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.deepEqual(calls[0], { name: 'shell__run', args: { argv: ['node', '--test', 'test/add.test.ts'], cwd: 'w/r1' } });
    assert.deepEqual(calls[1]?.args, { path: 'w/r1/test.log', content: 'exit 0: # pass 2' });
    assert.equal(calls.length, 2, 'the fail step did not hold');
    assert.equal((result.content[0] as { text: string }).text, 'passed; log at w/r1/test.log');
    assert.deepEqual((result.structuredContent as { output: unknown }).output, { exitCode: 0, log: 'w/r1/test.log' });
  });

  it('a `fail` step whose condition holds ends the run with CHECK_FAILED and its message, after the steps before it', async () => {
    const { calls, callTool } = recorder((name, args) => (name === 'shell__run' ? shellAnswer(1, 'not ok 2') : written(String(args.path))));
    const result = await agent.run({ task: 'test add', context: { workspace: 'w' } }, callTool);
    assert.equal(calls.length, 2, 'the log was still written');
    assert.equal(errorOfResult(result)?.code, 'CHECK_FAILED');
    assert.equal(errorOfResult(result)?.message, 'tests failed (exit 1): not ok 2');
  });

  it('`when` picks steps by round and feedback; drafts[roundIndex] picks the round’s draft', async () => {
    const first = recorder((_n, args) => written(String(args.path)));
    await agent.run({ task: 'draft', context: { drafts: ['v1', 'v2'] } }, first.callTool);
    assert.deepEqual(
      first.calls.map((c) => c.args.content),
      ['v1'],
    );
    const second = recorder((_n, args) => written(String(args.path)));
    await agent.run({ task: 'draft', context: { drafts: ['v1', 'v2'], round: 2, feedback: 'too short' } }, second.callTool);
    assert.deepEqual(
      second.calls.map((c) => c.args.content),
      ['v2 (after: too short)'],
    );
    const none = recorder((_n, args) => written(String(args.path)));
    await agent.run({ task: 'draft', context: { drafts: ['v1', 'v2'], round: 2 } }, none.callTool);
    assert.equal(none.calls.length, 0, 'no step held: nothing called');
  });

  it('a named playbook runs even when the task would match another', async () => {
    const { calls, callTool } = recorder((_n, args) => written(String(args.path)));
    await agent.run({ task: 'test add', context: { playbook: 'drafts', drafts: ['named'] } }, callTool);
    assert.deepEqual(
      calls.map((c) => c.args.content),
      ['named'],
    );
    const unknown = await agent.run({ task: 'x', context: { playbook: 'nope' } }, callTool);
    assert.equal(errorOfResult(unknown)?.field, 'context.playbook');
  });

  it('limits tool calls (limits.maxToolCalls), refusing the first call over the limit', async () => {
    const { calls, callTool } = recorder((_n, args) => written(String(args.path)));
    const result = await agent.run({ task: 'chatty' }, callTool);
    assert.equal(calls.length, 3);
    assert.equal(errorOfResult(result)?.code, 'LIMIT_EXCEEDED');
    assert.match(errorOfResult(result)?.message ?? '', /may make 3 tool calls \(limits\.maxToolCalls\)/);
  });

  it('a condition that cannot be read is refused when the role loads, naming the step', () => {
    assert.throws(
      () =>
        parseRole(
          'name: x\ndescription: x\ntools: { allow: [a] }\nplaybooks:\n  - { name: p, match: x, steps: [{ tool: a, when: "round ==" }] }\n',
          'roles/x.yaml',
        ),
      /roles\/x\.yaml: playbooks\.0\.steps\.0\.when: condition 'round ==': ends too early/,
    );
  });
});

const ops = parseRole(
  `name: ops
description: operates hosts
tools: { allow: [shell__run, shell__copy_to] }
requiresApproval: true
playbooks:
  - { name: status, match: '^status (?<host>\\w+)$', steps: [{ tool: shell__run, arguments: { host: '{{host}}', argv: [uptime] } }] }
`,
  'roles/ops.yaml',
);
const gated = parseRole(
  `name: deployer
description: ships files
tools: { allow: [shell__run, shell__copy_to] }
requiresApproval: [shell__copy_to]
playbooks:
  - { name: status, match: '^status$', steps: [{ tool: shell__run, arguments: { argv: [uptime] } }] }
  - { name: ship, match: '^ship$', steps: [{ tool: shell__copy_to, arguments: { host: web1, path: a, remotePath: /srv/a } }] }
`,
  'roles/deployer.yaml',
);

describe('approvals in the role agent', () => {
  const caller = { id: 'local:alice', role: 'admin', kind: 'local' as const };
  const approvedFor =
    (step: string): ApprovalCheck =>
    async (run, role, onBehalfOf) =>
      run.id === 'run-1' && run.step === step && role !== '' && onBehalfOf === 'local:alice';

  it('a role marked requiresApproval refuses a direct call, before calling anything', async () => {
    const { calls, callTool } = recorder(() => written('x'));
    const result = await new RoleAgent(ops).run({ task: 'status web1' }, callTool, undefined, {
      principal: caller,
      approvals: approvedFor('s1'),
    });
    assert.equal(calls.length, 0);
    assert.equal(errorOfResult(result)?.code, 'APPROVAL_REQUIRED');
    assert.match(errorOfResult(result)?.message ?? '', /submit the task with hub__run_task, then approve the run with hub__approve/);
  });

  it('runs a step of a run a person approved; a forged or other step is refused', async () => {
    const { calls, callTool } = recorder(() => written('x'));
    const agent = new RoleAgent(ops);
    const env = { principal: caller, approvals: approvedFor('s1') };
    const ok = await agent.run({ task: 'status web1', context: { run: { id: 'run-1', step: 's1' } } }, callTool, undefined, env);
    assert.equal(ok.isError, undefined);
    const other = await agent.run({ task: 'status web1', context: { run: { id: 'run-1', step: 's2' } } }, callTool, undefined, env);
    assert.equal(errorOfResult(other)?.code, 'APPROVAL_REQUIRED');
    const someoneElse = await agent.run({ task: 'status web1', context: { run: { id: 'run-1', step: 's1' } } }, callTool, undefined, {
      ...env,
      principal: { id: 'key:mallory', role: 'admin', kind: 'api-key' as const },
    });
    assert.equal(errorOfResult(someoneElse)?.code, 'APPROVAL_REQUIRED', 'an approval is for the run owner only');
    assert.equal(calls.length, 1);
  });

  it('tool-level approval: only plans that call a gated tool wait', async () => {
    const { calls, callTool } = recorder(() => written('x'));
    const agent = new RoleAgent(gated);
    assert.equal((await agent.run({ task: 'status' }, callTool)).isError, undefined);
    const ship = await agent.run({ task: 'ship' }, callTool);
    assert.equal(errorOfResult(ship)?.code, 'APPROVAL_REQUIRED');
    assert.match(errorOfResult(ship)?.message ?? '', /role 'deployer' calling shell__copy_to/);
    assert.deepEqual(
      calls.map((c) => c.name),
      ['shell__run'],
    );
  });
});
