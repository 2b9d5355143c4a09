import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HumanMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { RoleSchema } from '../../config/index.ts';
import { createChatModel, modelProvider } from './model-factory.ts';

/** A local OpenAI-compatible endpoint (what Ollama and vLLM serve): answers one tool call. */
function fakeOpenAiServer() {
  const requests: { path: string; auth: string | undefined; body: Record<string, unknown> }[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    requests.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw || '{}') });
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'llama3.1',
        choices: [
          {
            index: 0,
            finish_reason: 'tool_calls',
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'fs__read_file', arguments: '{"path":"a.txt"}' } }],
            },
          },
        ],
        usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
      }),
    );
  });
  return { server, requests };
}

describe('chat models from config (initChatModel)', () => {
  const { server, requests } = fakeOpenAiServer();
  let baseUrl = '';
  before(async () => {
    await new Promise<void>((resolve) => (server as Server).listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('openai:<model> with baseUrl talks to an OpenAI-compatible local server, tools and usage included', async () => {
    const model = await createChatModel(
      { model: 'openai:llama3.1', baseUrl, apiKeyEnv: 'SB_TEST_LLM_KEY', maxRetries: 0 },
      { SB_TEST_LLM_KEY: 'sk-local' },
    );
    const bound = model.bindTools?.([
      {
        type: 'function',
        function: { name: 'fs__read_file', description: 'read', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
      },
    ]);
    const reply = await bound?.invoke([new HumanMessage('read a.txt')]);
    assert.deepEqual(
      reply?.tool_calls?.map((c) => [c.name, c.args]),
      [['fs__read_file', { path: 'a.txt' }]],
    );
    assert.equal(reply?.usage_metadata?.total_tokens, 25);
    assert.equal(requests[0]?.path, '/v1/chat/completions');
    assert.equal(requests[0]?.auth, 'Bearer sk-local', 'the key from the variable apiKeyEnv names');
    assert.equal(requests[0]?.body.model, 'llama3.1');
    assert.equal((requests[0]?.body.tools as { function: { name: string } }[] | undefined)?.[0]?.function.name, 'fs__read_file');
  });

  it('a local endpoint needs no key; a named key variable that is unset is a config error naming it', async () => {
    await createChatModel({ model: 'openai:llama3.1', baseUrl }, {});
    await assert.rejects(
      createChatModel({ model: 'openai:gpt-4o-mini', apiKeyEnv: 'SB_UNSET_KEY' }, {}),
      /environment variable SB_UNSET_KEY \(apiKeyEnv\) is not set/,
    );
  });

  it('anthropic:<model> builds the Anthropic chat model', async () => {
    const model = await createChatModel(
      { model: 'anthropic:claude-sonnet-4-5', apiKeyEnv: 'SB_TEST_ANTHROPIC', baseUrl: 'http://127.0.0.1:9' },
      { SB_TEST_ANTHROPIC: 'x' },
    );
    assert.equal(typeof model.invoke, 'function');
  });

  it('an unknown provider is a config error', async () => {
    await assert.rejects(createChatModel('nosuch:model', {}), /model 'nosuch:model': /);
  });
});

describe('which role gets a model', () => {
  const role = RoleSchema.parse({ name: 'r', description: 'r', tools: { allow: [] } });
  const special = RoleSchema.parse({ name: 's', description: 's', tools: { allow: [] }, model: 'anthropic:claude-x' });

  it('none in deterministic mode; planner.model by default in llm mode; a role may override; built once per spec', async () => {
    const built: unknown[] = [];
    const factory = async (spec: unknown) => {
      built.push(spec);
      return fakeModel();
    };
    assert.equal(await modelProvider({ mode: 'deterministic', model: 'openai:gpt-x', factory })(role), undefined);
    const provider = modelProvider({ mode: 'llm', model: 'openai:gpt-x', factory });
    const a = await provider(role);
    const b = await provider(undefined);
    await provider(special);
    assert.equal(a, b, 'one model per spec');
    assert.deepEqual(built, ['openai:gpt-x', 'anthropic:claude-x']);
  });
});
