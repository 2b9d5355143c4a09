import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { parseRole } from '../src/config/index.ts';
import { Hub } from '../src/hub.ts';
import { loadedConfig, probeUpstream, selfCommand, testLogger, waitFor } from './support/harness.ts';

const prober = parseRole(
  `name: prober
description: pokes the probe
tools: { allow: ['probe__*'], deny: [probe__crash] }
limits: { maxSteps: 6, maxToolCalls: 4 }
`,
  'roles/prober.yaml',
);

/** Tool names bound to the model on its first turn (what it was given). */
const boundTools = (model: ReturnType<typeof fakeModel>) => {
  const system = String(model.calls[0]?.messages[0]?.content ?? '');
  return system;
};

async function startWith(threshold: number, model: ReturnType<typeof fakeModel>) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-discovery-agents-'));
  const loaded = loadedConfig(
    { upstreams: { probe: probeUpstream() }, planner: { mode: 'llm', model: 'openai:fake-model', discoveryThreshold: threshold } },
    dir,
  );
  const hub = await Hub.start({ loaded, roles: [prober], plans: [], logger: testLogger(), selfCommand, modelFactory: async () => model });
  await waitFor('the probe', () => hub.catalog.resolve('probe__echo_meta')?.online === true);
  const close = async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { hub, close };
}

describe('LLM role agents over a large allowlist use discovery', () => {
  const model = fakeModel()
    .respondWithTools([{ name: 'hub__find_tools', args: { query: 'sleep for some milliseconds', k: 3 } }])
    .respondWithTools([{ name: 'hub__call_tool', args: { name: 'probe__crash', arguments: {} } }])
    .respondWithTools([{ name: 'hub__call_tool', args: { name: 'probe__sleep', arguments: { ms: 1 } } }])
    .respond(new AIMessage('slept'));
  const small = fakeModel().respond(new AIMessage('nothing to do'));
  let big: Awaited<ReturnType<typeof startWith>>;
  let under: Awaited<ReturnType<typeof startWith>>;

  before(async () => {
    [big, under] = await Promise.all([startWith(2, model), startWith(1000, small)]);
  });
  after(async () => {
    await Promise.all([big?.close(), under?.close()]);
  });

  it('past the threshold the model gets hub__find_tools and hub__call_tool; the role still bounds every call', async () => {
    const result = await big.hub.callTool(
      'agent__prober',
      { task: 'sleep a little' },
      { principal: big.hub.localPrincipal, correlationId: 'disc-agent' },
    );
    assert.equal(result.isError, undefined, JSON.stringify(result.content));
    assert.match(boundTools(model), /find the ones you need with hub__find_tools/);
    const replies = (model.calls[3]?.messages ?? []).filter((m) => m instanceof ToolMessage).map((m) => String(m.content));
    assert.match(replies[0] ?? '', /probe__sleep/, 'find_tools answered with the role’s tools');
    assert.match(
      replies[1] ?? '',
      /^ACL_DENIED: role 'prober' may not call 'probe__crash'/,
      'a denied tool is refused through hub__call_tool too',
    );
    const records = await big.hub.auditStore.query({ correlationId: 'disc-agent' });
    assert.ok(
      records.some((r) => r.tool === 'probe__sleep' && r.outcome === 'ok' && r.principal === 'agent:prober'),
      JSON.stringify(records),
    );
    assert.ok(!records.some((r) => r.tool === 'probe__crash'), 'the refused call never reached the hub');
  });

  it('under the threshold the model gets every tool of its role by name', async () => {
    await under.hub.callTool('agent__prober', { task: 'anything' }, { principal: under.hub.localPrincipal, correlationId: 'small-agent' });
    const system = boundTools(small);
    assert.match(system, /Use only these tools: .*probe__sleep/);
    assert.doesNotMatch(system, /hub__find_tools/);
  });
});
