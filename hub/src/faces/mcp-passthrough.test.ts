import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { Tool } from '@modelcontextprotocol/server';
import type { Hub } from '../hub.ts';
import type { Principal } from '../policy/index.ts';
import { Telemetry } from '../telemetry/index.ts';
import { createHubMcpServer } from './mcp-server.ts';

const tool = (name: string): Tool => ({ name, description: name, inputSchema: { type: 'object' } });

/** Just enough of a hub: two upstreams, `docs` and `vault`, each with a resource and a prompt. */
function fakeHub(visible: string[]): { hub: Hub; reads: string[] } {
  const reads: string[] = [];
  const upstream = (name: string) => ({
    readResource: async (uri: string) => {
      reads.push(`${name}:${uri}`);
      return { contents: [{ uri: `${name}+${uri}`, text: `from ${name}` }] };
    },
    getPrompt: async (prompt: string) => ({ messages: [{ role: 'user', content: { type: 'text', text: `${name}/${prompt}` } }] }),
  });
  const prompts = new Map([
    ['docs__intro', { name: 'docs__intro', upstream: 'docs', prompt: 'intro', definition: { name: 'docs__intro' } }],
    ['vault__secret', { name: 'vault__secret', upstream: 'vault', prompt: 'secret', definition: { name: 'vault__secret' } }],
  ]);
  const hub = {
    name: 'fake',
    telemetry: new Telemetry({ processMetrics: false }),
    listTools: (_principal: Principal) => visible.map(tool),
    catalog: {
      version: 1,
      resources: () => [
        { uri: 'docs+file:///readme', name: 'readme' },
        { uri: 'vault+file:///keys', name: 'keys' },
      ],
      resourceTemplates: () => [{ uriTemplate: 'vault+file:///{name}', name: 'any' }],
      prompts: () => [...prompts.values()].map((p) => p.definition),
      resolvePrompt: (name: string) => prompts.get(name),
      resolve: (name: string) => ({ upstream: name.slice(0, name.indexOf('__')) }),
      resolveUri: (uri: string) => {
        const plus = uri.indexOf('+');
        return plus > 0 ? { upstream: uri.slice(0, plus), uri: uri.slice(plus + 1) } : undefined;
      },
    },
    pool: { get: (name: string) => upstream(name), upstreams: new Map(), names: { separator: '__' } },
    config: { hub: {} },
  };
  return { hub: hub as unknown as Hub, reads };
}

async function connect(hub: Hub): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createHubMcpServer(hub, { id: 'key:docs-reader', role: 'docs-reader', kind: 'api-key' } as Principal);
  await server.connect(serverSide);
  const client = new Client({ name: 't', version: '1' });
  await client.connect(clientSide);
  return client;
}

describe('resources and prompts follow the tool policy', () => {
  it('a caller sees and reads only the resources and prompts of upstreams it may call a tool of', async () => {
    const { hub, reads } = fakeHub(['docs__search']);
    const client = await connect(hub);
    assert.deepEqual(
      (await client.listResources()).resources.map((r) => r.uri),
      ['docs+file:///readme'],
    );
    assert.deepEqual((await client.listResourceTemplates()).resourceTemplates, []);
    assert.deepEqual(
      (await client.listPrompts()).prompts.map((p) => p.name),
      ['docs__intro'],
    );
    assert.equal((await client.readResource({ uri: 'docs+file:///readme' })).contents[0]?.uri, 'docs+file:///readme');
    await assert.rejects(client.readResource({ uri: 'vault+file:///keys' }), /resource 'vault\+file:\/\/\/keys' not found/);
    await assert.rejects(client.getPrompt({ name: 'vault__secret' }), /unknown prompt 'vault__secret'/);
    const completion = await client.complete({ ref: { type: 'ref/prompt', name: 'vault__secret' }, argument: { name: 'x', value: '' } });
    assert.deepEqual(completion.completion.values, []);
    assert.deepEqual(reads, ['docs:file:///readme'], 'the refused read never reached the upstream');
    await client.close();
  });
});
