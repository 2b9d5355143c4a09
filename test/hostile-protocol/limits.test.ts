// Bodies built to exhaust the hub: too big (413 before parsing), too many values or too deep (a
// clean 400 before anything walks them recursively). The hub keeps answering and its memory stays
// bounded across repeated attempts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HostileHub, hostileUpstream, KEYS, modernCall, modernMeta, rawPost, startHostileHub } from './support.ts';

const call = (args: string) =>
  `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"fs__read_file","arguments":${args},"_meta":${JSON.stringify(modernMeta)}}}`;

describe('oversized and pathological bodies at /mcp', () => {
  let running: HostileHub;

  before(async () => {
    running = await startHostileHub({ fs: hostileUpstream() });
  });
  after(async () => {
    await running?.close();
  });

  const stillServes = async () => {
    const answer = await rawPost(running.url, call('{"path":"ok"}'), modernCall('fs__read_file'));
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.text, /hostile:ok/);
  };

  it('answers a 5 MiB body with 413 before parsing it', async () => {
    // fetch, not a raw request: the hub answers from Content-Length and closes while a raw writer still writes.
    const post = (body: string) =>
      fetch(running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${KEYS.alice}`,
          ...modernCall('fs__read_file'),
        },
        body,
      });
    const answer = await post(call(JSON.stringify({ path: 'x', pad: 'a'.repeat(5 * 1024 * 1024) })));
    assert.equal(answer.status, 413);
    assert.match(await answer.text(), /Payload Too Large: Request body must not exceed 4194304 bytes/);
    // Not even parsed: an invalid 5 MiB body gets the same 413, not a parse error.
    const invalid = await post(`{${'x'.repeat(5 * 1024 * 1024)}`);
    assert.equal(invalid.status, 413);
    await invalid.body?.cancel();
    await stillServes();
  });

  it('refuses a million-element array (under the size limit) with a clean 400, and memory stays bounded', async () => {
    const body = call(`{"path":"x","list":[${new Array(1_000_000).fill(0).join(',')}]}`);
    assert.ok(Buffer.byteLength(body) < 4 * 1024 * 1024, 'under the size limit');
    const rss = process.memoryUsage().rss;
    for (let i = 0; i < 10; i++) {
      const answer = await rawPost(running.url, body, modernCall('fs__read_file'));
      assert.equal(answer.status, 400);
      assert.equal(answer.message?.error?.code, -32600, answer.text);
      assert.match(answer.message?.error?.message ?? '', /more than 100000 values/);
    }
    const grownMiB = (process.memoryUsage().rss - rss) / 2 ** 20;
    // Ten refusals must not accumulate: each parse is dropped with its request (loose bound, not timing).
    assert.ok(grownMiB < 256, `RSS grew ${grownMiB.toFixed(0)} MiB over 10 million-element bodies`);
    await stillServes();
  });

  it('refuses 100,000-deep nesting with a clean 400, without a stack overflow', async () => {
    const body = call(`{"path":"x","deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const answer = await rawPost(running.url, body, modernCall('fs__read_file'));
    assert.equal(answer.status, 400);
    assert.equal(answer.message?.error?.code, -32600, answer.text);
    assert.match(answer.message?.error?.message ?? '', /nests deeper than 64 levels/);
    assert.doesNotMatch(answer.text, /call stack/);
    await stillServes();
  });
});
