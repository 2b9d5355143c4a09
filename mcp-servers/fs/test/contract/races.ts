import assert from 'node:assert/strict';
import { it } from 'node:test';
import { code, type H } from './fixture.ts';

/**
 * Symlink swaps between the server's check and its use (TOCTOU): the fixture's race hook swaps a
 * directory (or the file itself) for a symlink to the outside right after the backend's check.
 * Each case must be refused, or (for a write over the final name) replace the link, never follow it.
 */
export function raceCases(h: H): void {
  const outsideIntact = async () => {
    assert.deepEqual(await h.fixture.outsideNames(), ['secret.txt']);
    assert.equal(await h.fixture.secretText(), 'top secret');
  };

  const cases: { name: string; operation: string; swap: string; tool: string; args: Record<string, unknown> }[] = [
    {
      name: 'read_file through a parent swapped mid-call',
      operation: 'readFile',
      swap: 'race/r',
      tool: 'read_file',
      args: { path: 'race/r/secret.txt' },
    },
    {
      name: 'read_file of a file swapped for a symlink mid-call',
      operation: 'readFile',
      swap: 'race/f.txt',
      tool: 'read_file',
      args: { path: 'race/f.txt' },
    },
    {
      name: 'write_file into a parent swapped mid-call',
      operation: 'writeFile',
      swap: 'race/w',
      tool: 'write_file',
      args: { path: 'race/w/planted.txt', content: 'x' },
    },
    { name: 'list_dir of a directory swapped mid-call', operation: 'readDir', swap: 'race/l', tool: 'list_dir', args: { path: 'race/l' } },
    {
      name: 'mkdir under a parent swapped mid-call',
      operation: 'mkdirp',
      swap: 'race/m',
      tool: 'mkdir',
      args: { path: 'race/m/new/deeper' },
    },
    {
      name: 'delete under a parent swapped mid-call',
      operation: 'remove',
      swap: 'race/d',
      tool: 'delete',
      args: { path: 'race/d/secret.txt' },
    },
    {
      name: 'move out of a parent swapped mid-call',
      operation: 'rename',
      swap: 'race/v',
      tool: 'move',
      args: { path: 'race/v/secret.txt', destination: 'stolen.txt' },
    },
    {
      name: 'edit_file through a parent swapped mid-call',
      operation: 'readFile',
      swap: 'race/e',
      tool: 'edit_file',
      args: { path: 'race/e/secret.txt', edits: [{ oldText: 'decoy', newText: 'x' }] },
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      if (c.swap.endsWith('.txt')) await h.fixture.write(c.swap, 'decoy');
      else await h.fixture.write(`${c.swap}/secret.txt`, 'decoy');
      const target = c.swap.endsWith('.txt') ? h.fixture.secret : h.fixture.outside;
      h.fixture.armRace(c.operation, () => h.fixture.swapForSymlink(c.swap, target));
      const result = await h.call(c.tool, c.args);
      assert.equal(h.fixture.raced(), true, 'the race was staged');
      assert.equal(code(result), 'ACL_DENIED', JSON.stringify(result.content));
      assert.doesNotMatch(JSON.stringify(result), /top secret/);
      await outsideIntact();
      assert.equal(await h.fixture.read('stolen.txt'), undefined);
    });
  }

  it('write_file over a name swapped for a symlink replaces the link and never writes through it', async () => {
    await h.fixture.write('race/over.txt', 'decoy');
    h.fixture.armRace('writeFile', () => h.fixture.swapForSymlink('race/over.txt', h.fixture.secret));
    const result = await h.call('write_file', { path: 'race/over.txt', content: 'new' });
    assert.equal(h.fixture.raced(), true);
    assert.equal(result.isError, undefined);
    assert.equal(await h.fixture.read('race/over.txt'), 'new');
    await outsideIntact();
    const secret = await h.call('read_file', { path: h.fixture.secret });
    assert.equal(code(secret), 'ACL_DENIED');
  });
}
