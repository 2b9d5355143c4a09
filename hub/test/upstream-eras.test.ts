import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RunningUpstream, startV1Upstream, startV2Upstream } from './support/era-upstreams.ts';
import { firstText, type RunningHub, startHub, waitFor } from './support/harness.ts';

/** The hub speaks to each upstream in the era it speaks (config `era`, default auto). */
describe('the hub talks to each upstream in its own protocol era', () => {
  let modernOnly: RunningUpstream;
  let legacyOnly: RunningUpstream;
  let both: RunningUpstream;
  let bothPinned: RunningUpstream;
  let running: RunningHub;
  let client: Client;

  before(async () => {
    [modernOnly, legacyOnly, both, bothPinned] = await Promise.all([
      startV2Upstream('2026', 'strict'),
      startV1Upstream(),
      startV2Upstream('both', 'dual'),
      startV2Upstream('both', 'pinned'),
    ]);
    const http = (url: string, extra: Record<string, unknown> = {}) => ({ url, healthIntervalMs: 0, ...extra });
    running = await startHub({
      upstreams: {
        strict: http(modernOnly.url),
        legacy: http(legacyOnly.url),
        dual: http(both.url),
        pinned: http(bothPinned.url, { era: '2026' }),
      },
    });
    client = new Client({ name: 'era-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
  });
  after(async () => {
    await client?.close();
    await running?.close();
    await Promise.all([modernOnly, legacyOnly, both, bothPinned].map((u) => u?.close()));
  });

  it('speaks 2026-07-28 to a modern-only upstream, 2025 to a 2025-only one, and prefers 2025 when both work', () => {
    const eras = Object.fromEntries(running.hub.status().upstreams.map((u) => [u.name, [u.state, u.era]]));
    assert.deepEqual(eras, {
      strict: ['connected', 'modern'],
      legacy: ['connected', 'legacy'],
      dual: ['connected', 'legacy'],
      pinned: ['connected', 'modern'],
    });
    assert.ok(!legacyOnly.seen.methods.includes('server/discover'), 'a 2025-only server is never probed with server/discover');
    assert.ok(modernOnly.seen.methods.includes('server/discover'));
    assert.ok(!bothPinned.seen.methods.includes('initialize'), 'era: 2026 skips the 2025 handshake');
  });

  it('lists and calls tools of every upstream through one catalogue, whatever era each speaks', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const upstream of ['strict', 'legacy', 'dual', 'pinned']) {
      assert.ok(names.includes(`${upstream}__echo`), `${upstream}__echo in ${names.join(', ')}`);
      const result = await client.callTool({ name: `${upstream}__echo`, arguments: { text: `via ${upstream}` } });
      assert.equal(firstText(result), `via ${upstream}`);
    }
  });

  it('takes each upstream’s instructions into its own, whichever era delivered them', async () => {
    const instructions = client.getInstructions() ?? '';
    assert.match(instructions, /## strict\nstrict instructions/);
    assert.match(instructions, /## legacy\nlegacy instructions/);
  });

  it('hears a modern upstream’s list changes on its subscriptions/listen stream', async () => {
    modernOnly.addTool('fresh');
    await waitFor('strict__fresh in the catalogue', () => running.hub.catalog.resolve('strict__fresh')?.online);
    const result = await client.callTool({ name: 'strict__fresh', arguments: {} });
    assert.equal(firstText(result), 'fresh');
  });
});
