import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult, ToolError, toolErrorResult } from '@switchboard/kit';
import { ConfigError, parseRole } from '../config/index.ts';
import { RoleAgent } from '../planner/index.ts';

const librarian = `name: librarian
description: answers from the handbook
tools: { allow: [rag__search, fs__write_file] }
context: { collection: handbook, k: 2 }
playbooks:
  - name: note
    match: '^note (?<path>\\S+)$'
    steps: [{ tool: fs__write_file, arguments: { path: '{{path}}', content: "{{context}}" } }]
  - { name: answer, match: '.+' }
`;

const hits = {
  results: [
    {
      documentId: 'deploy-guide',
      chunkId: 'deploy-guide#0',
      score: 0.032,
      text: 'Roll back with `deploy rollback <release>`.',
      metadata: { team: 'ops' },
    },
    { documentId: 'oncall', chunkId: 'oncall#2', score: 0.016, text: 'Page the on-call engineer first.', metadata: {} },
  ],
};

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

const answer = (structured: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text: 'ok' }],
  structuredContent: structured,
});

describe('role context (retrieval before the agent acts)', () => {
  it('parses `context` with defaults, and refuses a stepless playbook without it', () => {
    const role = parseRole(librarian, 'roles/librarian.yaml');
    assert.deepEqual(role.context, { collection: 'handbook', k: 2, mode: 'hybrid', server: 'rag' });
    assert.deepEqual(role.playbooks[1]?.steps, []);
    assert.throws(
      () => parseRole(librarian.replace('context: { collection: handbook, k: 2 }\n', ''), 'roles/librarian.yaml'),
      (error: ConfigError) =>
        error instanceof ConfigError && /playbooks\.1\.steps/.test(error.message) && /declare `context`/.test(error.message),
    );
    assert.throws(() => parseRole(librarian.replace('k: 2', 'k: 500'), 'roles/librarian.yaml'), /context\.k/);
    assert.throws(() => parseRole(librarian.replace('k: 2', 'top: 2'), 'roles/librarian.yaml'), /context/);
  });

  it('retrieves for the task, then answers with the passages under their source ids', async () => {
    const agent = new RoleAgent(parseRole(librarian, 'roles/librarian.yaml'));
    const { calls, callTool } = recorder(() => answer(hits));
    const result = await agent.run({ task: 'How do I roll back a bad deploy?' }, callTool);
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.deepEqual(calls, [
      { name: 'rag__search', args: { collection: 'handbook', query: 'How do I roll back a bad deploy?', k: 2, mode: 'hybrid' } },
    ]);
    const text = (result.content[0] as { text: string }).text;
    assert.match(text, /^From handbook \(2 passages\):\n\[deploy-guide#0\] Roll back with `deploy rollback <release>`\./);
    assert.match(text, /\[oncall#2\] Page the on-call engineer first\./);
    assert.match(text, /Sources: \[deploy-guide#0\], \[oncall#2\]$/);
    const structured = result.structuredContent as { plan: string; sources: unknown[] };
    assert.equal(structured.plan, 'answer');
    assert.deepEqual(structured.sources, [
      { source: 'deploy-guide#0', documentId: 'deploy-guide', score: 0.032 },
      { source: 'oncall#2', documentId: 'oncall', score: 0.016 },
    ]);
  });

  it('fills {{context}} and {{sources}} into playbook steps', async () => {
    const agent = new RoleAgent(parseRole(librarian, 'roles/librarian.yaml'));
    const { calls, callTool } = recorder((name) => (name === 'rag__search' ? answer(hits) : answer({ path: 'x' })));
    await agent.run({ task: 'note notes/rollback.md' }, callTool);
    assert.equal(calls[1]?.name, 'fs__write_file');
    assert.match(String(calls[1]?.args.content), /\[deploy-guide#0\] Roll back/);
  });

  it('says so when nothing matches, without failing', async () => {
    const agent = new RoleAgent(parseRole(librarian, 'roles/librarian.yaml'));
    const { callTool } = recorder(() => answer({ results: [] }));
    const result = await agent.run({ task: 'what is the airspeed of a swallow?' }, callTool);
    assert.equal((result.content[0] as { text: string }).text, "No passages in 'handbook' match this task.");
    assert.deepEqual((result.structuredContent as { sources: unknown[] }).sources, []);
  });

  it('fails with the search error, naming the context step', async () => {
    const agent = new RoleAgent(parseRole(librarian, 'roles/librarian.yaml'));
    const { calls, callTool } = recorder(() =>
      toolErrorResult(new ToolError('NOT_FOUND', "collection 'handbook' does not exist", 'collection')),
    );
    const result = await agent.run({ task: 'anything' }, callTool);
    assert.equal(calls.length, 1, 'nothing runs after a failed retrieval');
    assert.equal(errorOfResult(result)?.code, 'NOT_FOUND');
    assert.match(
      (result.content[0] as { text: string }).text,
      /retrieving context from 'handbook': rag__search failed: collection 'handbook' does not exist/,
    );
    const garbled = recorder(() => answer({ hits: [] }));
    assert.equal(errorOfResult(await agent.run({ task: 'anything' }, garbled.callTool))?.code, 'UPSTREAM_UNAVAILABLE');
  });

  it('refuses to retrieve when the role may not call the search tool', async () => {
    const agent = new RoleAgent(parseRole(librarian.replace('rag__search, ', ''), 'roles/librarian.yaml'));
    const { calls, callTool } = recorder(() => answer(hits));
    const result = await agent.run({ task: 'anything' }, callTool);
    assert.equal(calls.length, 0);
    assert.equal(errorOfResult(result)?.code, 'ACL_DENIED');
    assert.match((result.content[0] as { text: string }).text, /must allow rag__search/);
  });
});
