import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { errorOfResult } from '@switchboard/kit';
import { RoleSchema } from '../../config/index.ts';
import { RoleAgent } from '../agent/role-agent.ts';

const role = RoleSchema.parse({
  name: 'reader',
  description: 'reads files',
  prompt: 'You read files and answer from them.',
  tools: { allow: ['fs__read_file', 'fs__list_dir'] },
  limits: { maxSteps: 4, maxToolCalls: 3, maxTokens: 1000, timeoutMs: 10_000 },
});

const tools: Tool[] = [
  { name: 'fs__read_file', description: 'read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } },
  { name: 'fs__list_dir', description: 'list a directory', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } },
];

function hub(
  respond: (name: string, args: Record<string, unknown>) => CallToolResult = (_n, args) => text(`content of ${String(args.path)}`),
) {
  const calls: { name: string; args: Record<string, unknown> }[] = [];
  return {
    calls,
    callTool: async (name: string, args: Record<string, unknown>) => {
      calls.push({ name, args });
      return respond(name, args);
    },
  };
}

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const usage = (total: number) => ({ input_tokens: total - 10, output_tokens: 10, total_tokens: total });
const agentWith = (model: ReturnType<typeof fakeModel>) => new RoleAgent(role, { models: async () => model });
const env = { listTools: () => tools };

function toolMessages(messages: BaseMessage[]): string[] {
  return messages.filter((m) => m instanceof ToolMessage).map((m) => String(m.content));
}

describe('LLM role agent: a tool-calling loop over the role’s tools (scripted fake model)', () => {
  it('calls tools as the model asks, feeds results back, answers with the final text', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'fs__read_file', args: { path: 'notes/plan.md' } }])
      .respond(new AIMessage({ content: 'The plan is to ship on Friday.', usage_metadata: usage(50) }));
    const { calls, callTool } = hub();
    const result = await agentWith(model).run({ task: 'what is the plan?', context: { workspace: 'w' } }, callTool, undefined, env);
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.deepEqual(calls, [{ name: 'fs__read_file', args: { path: 'notes/plan.md' } }]);
    assert.equal((result.content[0] as { text: string }).text, 'The plan is to ship on Friday.');
    const structured = result.structuredContent as { plan: string; usage: { turns: number; toolCalls: number; tokens: number } };
    assert.equal(structured.plan, 'llm');
    assert.deepEqual(structured.usage, { turns: 2, toolCalls: 1, tokens: 50 });
    const [system, human] = model.calls[0]?.messages ?? [];
    assert.match(String(system?.content), /You read files and answer from them\.[\s\S]*Use only these tools: fs__read_file, fs__list_dir/);
    assert.match(String(human?.content), /^Task: what is the plan\?\n\nContext \(JSON\):\n\{\n {2}"workspace": "w"/);
    assert.deepEqual(toolMessages(model.calls[1]?.messages ?? []), ['content of notes/plan.md']);
  });

  it('refuses a tool outside the role without calling it; the model reads the refusal and recovers', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'fs__write_file', args: { path: 'a', content: 'x' } }])
      .respondWithTools([{ name: 'fs__read_file', args: { path: 'a' } }])
      .respond(new AIMessage('I may not write; a says: content of a'));
    const { calls, callTool } = hub();
    const result = await agentWith(model).run({ task: 'write a' }, callTool, undefined, env);
    assert.equal(result.isError, undefined);
    assert.deepEqual(
      calls.map((c) => c.name),
      ['fs__read_file'],
      'the refused tool never reached the hub',
    );
    const refusal = toolMessages(model.calls[1]?.messages ?? [])[0];
    assert.match(
      String(refusal),
      /^ACL_DENIED: role 'reader' may not call 'fs__write_file' \(allowed: fs__read_file, fs__list_dir\)\. Use one of your own tools\.$/,
    );
  });

  it('hands a failed tool call back to the model with its code', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'fs__read_file', args: { path: 'missing' } }])
      .respond(new AIMessage('missing does not exist'));
    const { callTool } = hub(() => ({
      isError: true,
      content: [{ type: 'text', text: "no file 'missing'" }],
      _meta: { 'switchboard/error': { code: 'NOT_FOUND', message: "no file 'missing'" } },
    }));
    const result = await agentWith(model).run({ task: 'read missing' }, callTool, undefined, env);
    assert.equal(result.isError, undefined);
    assert.deepEqual(toolMessages(model.calls[1]?.messages ?? []), ["NOT_FOUND: no file 'missing'"]);
  });

  it('malformed tool calls go back to the model, then fail clearly after three in a row', async () => {
    const garbled = () =>
      new AIMessage({
        content: '',
        invalid_tool_calls: [
          { name: 'fs__read_file', args: '{"path": ', id: 'bad', error: 'Unexpected end of JSON', type: 'invalid_tool_call' },
        ],
      });
    const recovering = fakeModel()
      .respond(garbled())
      .respondWithTools([{ name: 'fs__read_file', args: { path: 'a' } }])
      .respond(new AIMessage('done'));
    const first = hub();
    const ok = await agentWith(recovering).run({ task: 'read a' }, first.callTool, undefined, env);
    assert.equal(ok.isError, undefined);
    assert.match(
      toolMessages(recovering.calls[1]?.messages ?? [])[0] ?? '',
      /^MODEL_OUTPUT_INVALID: your call to 'fs__read_file' could not be read \(Unexpected end of JSON\)/,
    );
    const broken = fakeModel().respond(garbled()).respond(garbled()).respond(garbled());
    const second = hub();
    const failed = await new RoleAgent({ ...role, limits: { ...role.limits, maxSteps: 10 } }, { models: async () => broken }).run(
      { task: 'read a' },
      second.callTool,
      undefined,
      env,
    );
    assert.equal(errorOfResult(failed)?.code, 'MODEL_OUTPUT_INVALID');
    assert.match(errorOfResult(failed)?.message ?? '', /unreadable tool calls 3 times in a row/);
    assert.equal(second.calls.length, 0);
  });

  it('empty replies are malformed output too', async () => {
    const model = fakeModel().respond(new AIMessage('')).respond(new AIMessage('')).respond(new AIMessage(''));
    const result = await new RoleAgent({ ...role, limits: { ...role.limits, maxSteps: 10 } }, { models: async () => model }).run(
      { task: 'x' },
      hub().callTool,
      undefined,
      env,
    );
    assert.equal(errorOfResult(result)?.code, 'MODEL_OUTPUT_INVALID');
    assert.match(String(model.calls[1]?.messages.at(-1)?.content), /Your reply was empty/);
  });

  it('a model that keeps failing is retried by the node policy, then the run fails naming the error', async () => {
    const model = fakeModel().alwaysThrow(new Error('503 Service Unavailable'));
    const result = await agentWith(model).run({ task: 'x' }, hub().callTool, undefined, env);
    assert.equal(errorOfResult(result)?.code, 'UPSTREAM_UNAVAILABLE');
    assert.match(errorOfResult(result)?.message ?? '', /the chat model failed 3 times: 503 Service Unavailable/);
    assert.equal(model.callCount, 3);
  });

  it('stops at the step limit (model turns)', async () => {
    const model = fakeModel();
    for (let i = 0; i < 6; i++) model.respondWithTools([{ name: 'fs__list_dir', args: { path: String(i) } }]);
    const { calls, callTool } = hub();
    const result = await new RoleAgent({ ...role, limits: { ...role.limits, maxToolCalls: 100 } }, { models: async () => model }).run(
      { task: 'x' },
      callTool,
      undefined,
      env,
    );
    assert.equal(errorOfResult(result)?.code, 'LIMIT_EXCEEDED');
    assert.match(errorOfResult(result)?.message ?? '', /may take 4 model turns \(limits\.maxSteps\)/);
    assert.equal(model.callCount, 4);
    assert.equal(calls.length, 4);
  });

  it('stops at the tool-call limit, even within one reply', async () => {
    const model = fakeModel().respondWithTools([1, 2, 3, 4].map((i) => ({ name: 'fs__list_dir', args: { path: String(i) } })));
    const { calls, callTool } = hub();
    const result = await agentWith(model).run({ task: 'x' }, callTool, undefined, env);
    assert.equal(errorOfResult(result)?.code, 'LIMIT_EXCEEDED');
    assert.match(errorOfResult(result)?.message ?? '', /may make 3 tool calls/);
    assert.equal(calls.length, 3);
  });

  it('stops at the token limit from the model’s usage metadata', async () => {
    const model = fakeModel()
      .respond(
        new AIMessage({
          content: '',
          tool_calls: [{ name: 'fs__read_file', args: { path: 'a' }, id: 'c1', type: 'tool_call' }],
          usage_metadata: usage(600),
        }),
      )
      .respond(new AIMessage({ content: 'too late', usage_metadata: usage(600) }));
    const result = await agentWith(model).run({ task: 'x' }, hub().callTool, undefined, env);
    assert.equal(errorOfResult(result)?.code, 'LIMIT_EXCEEDED');
    assert.match(errorOfResult(result)?.message ?? '', /used 1200 tokens; it may use 1000 \(limits\.maxTokens\)/);
  });

  it('with a role `context`, retrieves first and puts the passages with their source ids into the prompt', async () => {
    const librarian = RoleSchema.parse({
      ...role,
      name: 'librarian',
      tools: { allow: ['rag__search', 'fs__read_file'] },
      context: { collection: 'handbook', k: 2 },
    });
    const model = fakeModel().respond(new AIMessage('Roll back with `deploy rollback <release>` [deploy-guide#0].'));
    const { calls, callTool } = hub((name) =>
      name === 'rag__search'
        ? {
            content: [{ type: 'text', text: '2 results' }],
            structuredContent: {
              results: [
                {
                  documentId: 'deploy-guide',
                  chunkId: 'deploy-guide#0',
                  score: 0.03,
                  text: 'Roll back with `deploy rollback <release>`.',
                  metadata: {},
                },
                { documentId: 'oncall', chunkId: 'oncall#2', score: 0.01, text: 'Page the on-call engineer first.', metadata: {} },
              ],
            },
          }
        : text('unused'),
    );
    const result = await new RoleAgent(librarian, { models: async () => model }).run(
      { task: 'how do I roll back?' },
      callTool,
      undefined,
      env,
    );
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.deepEqual(calls, [
      { name: 'rag__search', args: { collection: 'handbook', query: 'how do I roll back?', k: 2, mode: 'hybrid' } },
    ]);
    const system = String(model.calls[0]?.messages[0]?.content);
    assert.match(system, /Context retrieved for this task \(cite the \[source\] ids you use\):\nFrom handbook \(2 passages\):/);
    assert.match(system, /\[deploy-guide#0\] Roll back with `deploy rollback <release>`\./);
    assert.match(system, /Sources: \[deploy-guide#0\], \[oncall#2\]/);
    const structured = result.structuredContent as { plan: string; answer: string; sources: { source: string }[] };
    assert.equal(structured.plan, 'llm');
    assert.match(structured.answer, /\[deploy-guide#0\]/);
    assert.deepEqual(
      structured.sources.map((s) => s.source),
      ['deploy-guide#0', 'oncall#2'],
    );
  });

  it('a failed retrieval ends the LLM agent before the model is asked', async () => {
    const librarian = RoleSchema.parse({ ...role, name: 'librarian', tools: { allow: ['rag__search'] }, context: { collection: 'gone' } });
    const model = fakeModel().respond(new AIMessage('should not be asked'));
    const { callTool } = hub(() => ({
      isError: true,
      content: [{ type: 'text', text: "collection 'gone' does not exist" }],
      _meta: { 'switchboard/error': { code: 'NOT_FOUND', message: "collection 'gone' does not exist" } },
    }));
    const result = await new RoleAgent(librarian, { models: async () => model }).run({ task: 'x' }, callTool, undefined, env);
    assert.equal(errorOfResult(result)?.code, 'NOT_FOUND');
    assert.match(errorOfResult(result)?.message ?? '', /retrieving context from 'gone'/);
    assert.equal(model.callCount, 0);
  });

  it('explicit context.steps stay deterministic even in LLM mode', async () => {
    const model = fakeModel();
    const { calls, callTool } = hub();
    const result = await agentWith(model).run(
      { task: 'x', context: { steps: [{ tool: 'fs__read_file', arguments: { path: 'b' } }] } },
      callTool,
      undefined,
      env,
    );
    assert.equal(result.isError, undefined);
    assert.equal(model.callCount, 0);
    assert.deepEqual(
      calls.map((c) => c.args.path),
      ['b'],
    );
  });
});
