import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NameRegistry } from './name-registry.ts';
import { isClientSafeName, MAX_TOOL_NAME, namespacedName } from './names.ts';

describe('namespaced tool names', () => {
  it('joins server and tool with a double underscore, or the configured separator', () => {
    assert.equal(namespacedName('fs', 'read_file'), 'fs__read_file');
    assert.equal(namespacedName('fs', 'read_file', '-'), 'fs-read_file');
  });

  it('keeps long names within 64 characters, stable and distinct, with a readable prefix', () => {
    const a = namespacedName('server', 'x'.repeat(80));
    const b = namespacedName('server', `${'x'.repeat(79)}y`);
    assert.equal(a.length, MAX_TOOL_NAME);
    assert.equal(b.length, MAX_TOOL_NAME);
    assert.notEqual(a, b);
    assert.equal(a, namespacedName('server', 'x'.repeat(80)));
    assert.ok(a.startsWith('server__xxx'));
    assert.match(a, /_[0-9a-f]{8}$/);
  });

  it('turns characters clients refuse into _ and adds a hash, so sanitised twins stay apart', () => {
    const dotted = namespacedName('api', 'files.read');
    const slashed = namespacedName('api', 'files/read');
    const spaced = namespacedName('api', 'files read (v2) ✓');
    for (const name of [dotted, slashed, spaced]) assert.ok(isClientSafeName(name), name);
    assert.match(dotted, /^api__files_read_[0-9a-f]{8}$/);
    assert.notEqual(dotted, slashed);
    assert.equal(namespacedName('api', 'files_read'), 'api__files_read', 'a valid name is left alone');
  });
});

describe('the name registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-names-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves exposed names back to upstream and original, tools and prompts apart', () => {
    const names = new NameRegistry();
    const long = `lookup_${'very_'.repeat(20)}long`;
    const tool = names.nameOf('tool', 'crm', long);
    const prompt = names.nameOf('prompt', 'crm', 'summary.v2');
    assert.deepEqual(
      { upstream: names.resolve('tool', tool)?.upstream, original: names.resolve('tool', tool)?.original },
      { upstream: 'crm', original: long },
    );
    assert.equal(names.resolve('prompt', prompt)?.original, 'summary.v2');
    assert.equal(names.resolve('prompt', tool), undefined);
    assert.equal(names.resolve('tool', tool)?.rewritten, true);
    assert.equal(names.resolve('tool', names.nameOf('tool', 'crm', 'find'))?.rewritten, false);
  });

  it('resolves a collision: the holder keeps the name, the newcomer gets a hashed one', () => {
    // With '-' as separator, server 'a-b' + tool 'c' and server 'a' + tool 'b-c' want the same name.
    const names = new NameRegistry('-');
    assert.equal(names.nameOf('tool', 'a-b', 'c'), 'a-b-c');
    const second = names.nameOf('tool', 'a', 'b-c');
    assert.match(second, /^a-b-c_[0-9a-f]{8}$/);
    assert.equal(names.nameOf('tool', 'a', 'b-c'), second, 'stable within the process');
    assert.equal(names.resolve('tool', 'a-b-c')?.upstream, 'a-b');
    assert.equal(names.resolve('tool', second)?.upstream, 'a');
  });

  it('keeps the winner of a collision across restarts, whatever order the upstreams come back in', () => {
    const file = join(dir, 'tool-names.json');
    const first = new NameRegistry('-', file);
    first.nameOf('tool', 'a-b', 'c');
    const loser = first.nameOf('tool', 'a', 'b-c');
    assert.match(readFileSync(file, 'utf8'), /a-b-c/);
    // After a restart the other upstream connects first; the names do not swap.
    const second = new NameRegistry('-', file);
    assert.equal(second.nameOf('tool', 'a', 'b-c'), loser);
    assert.equal(second.nameOf('tool', 'a-b', 'c'), 'a-b-c');
  });

  it('without collisions, a fresh registry gives the same names (replicas agree)', () => {
    const originals = ['read', 'x'.repeat(90), 'files.list', 'ünïcode'];
    const one = new NameRegistry();
    const two = new NameRegistry();
    assert.deepEqual(
      originals.map((o) => one.nameOf('tool', 'srv', o)),
      [...originals]
        .reverse()
        .map((o) => two.nameOf('tool', 'srv', o))
        .reverse(),
    );
  });
});
