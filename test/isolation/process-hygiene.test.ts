import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { descendantsOf, type ProcInfo, processTable, stillThere } from '../../hub/test/support/proc-table.ts';
import { tinyUpstream } from '../../hub/test/support/tiny-upstream.ts';
import { type Started, startListening } from '../support/processes.ts';

// A real `switchboard serve` process: one upstream crashed and restarted 50 times, one that ignores
// SIGTERM and stops reading (only SIGKILL ends it), one hung in its handshake. At every step the
// hub's process subtree is walked in /proc; after SIGTERM to the hub, none of them may be left,
// neither running (orphans re-parented to init) nor as zombies.

const CYCLES = 50;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(25);
  }
}

describe('no zombie or orphaned upstream processes', () => {
  let dir: string;
  let hub: Started;
  let client: Client;
  /** Every process ever seen under the hub, by pid. */
  const seen = new Map<number, ProcInfo>();
  const crashedPids: number[] = [];
  const observe = () => {
    for (const p of descendantsOf(hub.child.pid as number)) seen.set(p.pid, p);
  };
  const pidOf = async (): Promise<number | undefined> => {
    const result = await client.callTool({ name: 'crashy__pid', arguments: {} }).catch(() => undefined);
    return result && !result.isError ? (result.structuredContent as { pid: number }).pid : undefined;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hygiene-'));
    const fast = { restart: { initialDelayMs: 20, maxDelayMs: 200 } };
    const config = {
      hub: { name: 'hygiene', dataDir: dir, startupWaitMs: 1000 },
      auth: 'none',
      audit: { store: 'memory' },
      upstreams: {
        crashy: tinyUpstream([], fast),
        stubborn: tinyUpstream(['--ignore-sigterm'], { timeoutMs: 120_000 }),
        mute: tinyUpstream(['--mute', '--ignore-sigterm']),
      },
    };
    writeFileSync(join(dir, 'switchboard.yaml'), JSON.stringify(config));
    hub = await startListening(['serve', '--http', '--port', '0', '--config', join(dir, 'switchboard.yaml'), '--drain-ms', '0'], 120_000);
    client = new Client({ name: 'hygiene-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(hub.url)));
  });

  after(async () => {
    await client?.close().catch(() => {});
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`reaps every crashed upstream over ${CYCLES} crash/restart cycles`, async () => {
    let pid = await until('crashy connected', pidOf, 60_000);
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      observe();
      crashedPids.push(pid);
      await client.callTool({ name: 'crashy__crash', arguments: {} });
      const previous = pid;
      pid = await until(`crashy back after crash ${cycle + 1}`, async () => {
        const now = await pidOf();
        return now !== undefined && now !== previous ? now : undefined;
      });
    }
    observe();
    assert.equal(new Set(crashedPids).size, CYCLES, 'every cycle was a fresh process');
    // Reaping is asynchronous (SIGCHLD): give it a moment, then nothing crashed may remain.
    const left = await until(
      'crashed upstreams reaped',
      () => {
        const remaining = crashedPids.filter(stillThere);
        return remaining.length === 0 ? remaining : undefined;
      },
      5000,
    ).catch(() => crashedPids.filter(stillThere));
    assert.deepEqual(left, [], 'crashed upstream processes still in the process table');
    const subtree = descendantsOf(hub.child.pid as number);
    assert.deepEqual(
      subtree.filter((p) => p.state === 'Z'),
      [],
      'zombies under the hub',
    );
    // What is left is one live process per upstream.
    assert.equal(subtree.filter((p) => p.cmdline.includes('tiny-server.mjs')).length, 3, JSON.stringify(subtree));
  });

  it('leaves none of its children behind after SIGTERM, even those that ignore SIGTERM and stdin', async () => {
    // Make `stubborn` stop reading too, with a call to it left in flight.
    void client.callTool({ name: 'stubborn__freeze', arguments: {} }).catch(() => {});
    await pause(200);
    observe();
    const children = [...seen.values()].filter((p) => p.cmdline.includes('tiny-server.mjs'));
    assert.ok(children.some((p) => p.cmdline.includes('--mute')) && children.some((p) => p.cmdline.includes('--ignore-sigterm')));
    await client.close();
    // SIGTERM: drain, close every upstream (stdin, SIGTERM, then SIGKILL for the stubborn), exit.
    const exited = new Promise((resolve) => hub.child.once('exit', resolve));
    hub.child.kill('SIGTERM');
    await Promise.race([exited, pause(60_000)]);
    assert.equal(hub.child.exitCode, 0, `the hub exited by itself after SIGTERM; its log ends:\n${hub.stderr().slice(-3000)}`);
    const remaining = [...seen.keys()].filter(stillThere).map((pid) => processTable().find((p) => p.pid === pid) ?? { pid });
    assert.deepEqual(remaining, [], 'hub children still in the process table after shutdown');
  });
});
