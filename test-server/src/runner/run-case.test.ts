import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaseSchema } from '../cases/schema.ts';
import type { HubClient, ToolOutcome } from '../hub-client.ts';
import { runCase } from './run-case.ts';

function fakeHub(tools: Record<string, (args: Record<string, unknown>) => ToolOutcome>): HubClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async callTool(name, args) {
      calls.push(`${name} ${JSON.stringify(args)}`);
      const tool = tools[name];
      if (tool === undefined) throw new Error(`unknown tool ${name}`);
      return tool(args);
    },
    async listTools() {
      return Object.keys(tools);
    },
    async http(request) {
      if (request.path === '/down') throw new TypeError('fetch failed');
      return { status: 200, text: '{"status":"ok"}', json: { status: 'ok' } };
    },
    async close() {},
  };
}

const echo = (args: Record<string, unknown>): ToolOutcome => ({
  isError: false,
  text: String(args.path),
  structuredContent: { path: args.path },
});

describe('runCase', () => {
  it('passes saved results into later steps through templates', async () => {
    const definition = CaseSchema.parse({
      name: 'c',
      steps: [
        { name: 'first', tool: 'echo', arguments: { path: 'a.txt' }, save: 'one' },
        { name: 'second', tool: 'echo', arguments: { path: 'copy-{{one.structured.path}}' }, expect: { text: { equals: 'copy-a.txt' } } },
      ],
    });
    const hub = fakeHub({ echo });
    const report = await runCase(definition, hub);
    assert.equal(report.passed, true);
    assert.deepEqual(report.steps[1]?.request, { tool: 'echo', arguments: { path: 'copy-a.txt' } });
    assert.deepEqual(hub.calls, ['echo {"path":"a.txt"}', 'echo {"path":"copy-a.txt"}']);
  });

  it('a throwing step fails with error set, and later steps still run', async () => {
    const definition = CaseSchema.parse({
      name: 'c',
      steps: [
        { name: 'missing tool', tool: 'nope' },
        { name: 'hub down', http: { path: '/down' } },
        { name: 'bad template', tool: 'echo', arguments: { path: '{{never.text}}' } },
        { name: 'still runs', list: 'tools', expect: { includes: ['echo'] } },
      ],
    });
    const report = await runCase(definition, fakeHub({ echo }));
    assert.equal(report.passed, false);
    assert.deepEqual(
      report.steps.map((step) => [step.name, step.kind, step.passed]),
      [
        ['missing tool', 'tool', false],
        ['hub down', 'http', false],
        ['bad template', 'tool', false],
        ['still runs', 'list', true],
      ],
    );
    assert.match(report.steps[0]?.error ?? '', /unknown tool nope/);
    assert.match(report.steps[1]?.error ?? '', /fetch failed/);
    assert.match(report.steps[2]?.error ?? '', /TemplateError: .*no earlier step saved as 'never'/);
    assert.equal(report.steps[0]?.assertions[0]?.name, 'step "missing tool": runs to the end');
    assert.equal(report.steps[0]?.assertions[0]?.passed, false);
  });

  it('idempotent calls the tool a second time and compares', async () => {
    let n = 0;
    const counter = (): ToolOutcome => ({ isError: false, text: `call ${++n}` });
    const definition = CaseSchema.parse({ name: 'c', steps: [{ name: 'count', tool: 'counter', expect: { idempotent: true } }] });
    const report = await runCase(definition, fakeHub({ counter }));
    const [assertion] = report.steps[0]?.assertions ?? [];
    assert.equal(assertion?.passed, false);
    assert.equal(assertion?.name, 'step "count": is idempotent (a second call answers the same)');
    assert.equal(assertion?.message, 'differs in text');
  });
});
