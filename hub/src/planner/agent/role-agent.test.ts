import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult, ToolError, toolErrorResult } from '@switchboard/kit';
import { RoleSchema } from '../../config/index.ts';
import { RoleAgent } from './role-agent.ts';

const role = RoleSchema.parse({
  name: 'reader',
  description: 'reads files',
  tools: { allow: ['fs__read_file', 'fs__list_dir'] },
  limits: { maxSteps: 3, timeoutMs: 200 },
  playbooks: [
    { name: 'read', match: '^read (?<path>\\S+)$', steps: [{ tool: 'fs__read_file', arguments: { path: '{{path}}' } }] },
    { name: 'list', match: '^list(?: (?<path>\\S+))?$', steps: [{ tool: 'fs__list_dir', arguments: { path: '{{path:-.}}' } }] },
  ],
});

function recorder(respond: (name: string, args: Record<string, unknown>) => CallToolResult | Promise<CallToolResult>) {
  const calls: { name: string; args: Record<string, unknown> }[] = [];
  const callTool = async (name: string, args: Record<string, unknown>) => {
    calls.push({ name, args });
    return respond(name, args);
  };
  return { calls, callTool };
}

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });

describe('role agent (deterministic planner through LangGraph)', () => {
  const agent = new RoleAgent(role);

  it('is exposed as agent__<role> with the task/context input schema', () => {
    const def = agent.definition();
    assert.equal(def.name, 'agent__reader');
    assert.equal(def.description, 'reads files');
    assert.deepEqual(def.inputSchema.required, ['task']);
  });

  it('runs the matching playbook and answers with the tool text', async () => {
    const { calls, callTool } = recorder(() => text('Hello.'));
    const result = await agent.run({ task: 'read notes/a.txt' }, callTool);
    assert.deepEqual(calls, [{ name: 'fs__read_file', args: { path: 'notes/a.txt' } }]);
    assert.equal(result.isError, undefined);
    assert.deepEqual(result.content, [{ type: 'text', text: 'Hello.' }]);
    assert.equal((result.structuredContent as { plan: string }).plan, 'read');
    assert.equal((result.structuredContent as { answer: string }).answer, 'Hello.');
  });

  it('fills playbook defaults', async () => {
    const { calls, callTool } = recorder(() => text('a\nb'));
    await agent.run({ task: 'list' }, callTool);
    assert.deepEqual(calls, [{ name: 'fs__list_dir', args: { path: '.' } }]);
  });

  it('runs explicit context.steps in order and joins their answers', async () => {
    const { calls, callTool } = recorder((_n, args) => text(String(args.path)));
    const result = await agent.run(
      {
        task: 'two reads',
        context: {
          steps: [
            { tool: 'fs__read_file', arguments: { path: 'a' } },
            { tool: 'fs__read_file', arguments: { path: 'b' } },
          ],
        },
      },
      callTool,
    );
    assert.deepEqual(
      calls.map((c) => c.args.path),
      ['a', 'b'],
    );
    assert.equal((result.content[0] as { text: string }).text, 'a\n\nb');
  });

  it('refuses a tool outside the allowlist without calling anything', async () => {
    const { calls, callTool } = recorder(() => text('should not happen'));
    const result = await agent.run(
      { task: 'write', context: { steps: [{ tool: 'fs__write_file', arguments: { path: 'hello.txt', content: 'x' } }] } },
      callTool,
    );
    assert.equal(calls.length, 0);
    assert.equal(result.isError, true);
    assert.equal(errorOfResult(result)?.code, 'ACL_DENIED');
    assert.match((result.content[0] as { text: string }).text, /role 'reader' may not call 'fs__write_file'/);
  });

  it('stops at the first denied step of a mixed plan', async () => {
    const { calls, callTool } = recorder(() => text('ok'));
    const result = await agent.run(
      {
        task: 'mixed',
        context: {
          steps: [
            { tool: 'fs__read_file', arguments: { path: 'a' } },
            { tool: 'fs__delete', arguments: { path: 'a' } },
            { tool: 'fs__read_file', arguments: { path: 'b' } },
          ],
        },
      },
      callTool,
    );
    assert.equal(calls.length, 1);
    assert.equal(errorOfResult(result)?.code, 'ACL_DENIED');
  });

  it('names the field for bad input', async () => {
    const { callTool } = recorder(() => text('x'));
    assert.equal(errorOfResult(await agent.run({ task: 42 }, callTool))?.field, 'task');
    assert.equal(errorOfResult(await agent.run({}, callTool))?.field, 'task');
    assert.equal(errorOfResult(await agent.run({ task: 'x', context: { steps: 'nope' } }, callTool))?.field, 'context.steps');
    assert.equal(errorOfResult(await agent.run({ task: 'x', extra: 1 }, callTool))?.code, 'INVALID_ARGUMENT');
  });

  it('explains when no playbook matches', async () => {
    const { calls, callTool } = recorder(() => text('x'));
    const result = await agent.run({ task: 'delete everything' }, callTool);
    assert.equal(calls.length, 0);
    assert.equal(errorOfResult(result)?.field, 'task');
    assert.match((result.content[0] as { text: string }).text, /no playbook for this task \(it knows: read; list\)/);
  });

  it('passes a failing step through with its code', async () => {
    const { callTool } = recorder(() => toolErrorResult(new ToolError('NOT_FOUND', "no file 'a'", 'path')));
    const result = await agent.run({ task: 'read a' }, callTool);
    assert.equal(errorOfResult(result)?.code, 'NOT_FOUND');
    assert.match((result.content[0] as { text: string }).text, /fs__read_file failed: no file 'a'/);
  });

  it('enforces the step limit before calling anything', async () => {
    const { calls, callTool } = recorder(() => text('x'));
    const steps = Array.from({ length: 4 }, () => ({ tool: 'fs__read_file', arguments: { path: 'a' } }));
    const result = await agent.run({ task: 'many', context: { steps } }, callTool);
    assert.equal(calls.length, 0);
    assert.equal(errorOfResult(result)?.code, 'LIMIT_EXCEEDED');
  });

  it('gives up with TIMEOUT when a tool never answers within the role timeout', async () => {
    // A ref'd timer keeps the loop alive as a real server would; the answer arrives after the role's 200 ms.
    const { callTool } = recorder(() => new Promise<CallToolResult>((resolve) => setTimeout(() => resolve(text('late')), 1000)));
    const result = await agent.run({ task: 'read a' }, callTool);
    assert.equal(errorOfResult(result)?.code, 'TIMEOUT');
  });
});
