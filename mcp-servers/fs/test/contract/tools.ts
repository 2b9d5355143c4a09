import assert from 'node:assert/strict';
import { it } from 'node:test';
import { code, field, firstText, type H, structured } from './fixture.ts';

/** edit_file, move, mkdir and read_many. */
export function toolCases(h: H): void {
  it('edit_file previews a diff on dryRun and applies exact replacements otherwise', async () => {
    await h.fixture.write('e/code.ts', 'const a = 1;\nconst b = 2;\n');
    const preview = await h.call('edit_file', {
      path: 'e/code.ts',
      edits: [{ oldText: 'const b = 2;', newText: 'const b = 3;' }],
      dryRun: true,
    });
    const shown = structured<{ diff: string; dryRun: boolean; replacements: number }>(preview);
    assert.equal(shown.dryRun, true);
    assert.equal(shown.replacements, 1);
    assert.match(shown.diff, /^-const b = 2;$/m);
    assert.match(shown.diff, /^\+const b = 3;$/m);
    assert.equal(await h.fixture.read('e/code.ts'), 'const a = 1;\nconst b = 2;\n');
    const applied = await h.call('edit_file', {
      path: 'e/code.ts',
      edits: [
        { oldText: 'const b = 2;', newText: 'const b = 3;' },
        { oldText: 'const', newText: 'let', replaceAll: true },
      ],
    });
    assert.equal(structured<{ replacements: number }>(applied).replacements, 3);
    assert.equal(await h.fixture.read('e/code.ts'), 'let a = 1;\nlet b = 3;\n');
  });

  it('edit_file applies all edits or none, naming the edit at fault', async () => {
    await h.fixture.write('e/two.txt', 'x x\ny\n');
    const ambiguous = await h.call('edit_file', {
      path: 'e/two.txt',
      edits: [
        { oldText: 'y', newText: 'z' },
        { oldText: 'x', newText: 'w' },
      ],
    });
    assert.equal(code(ambiguous), 'INVALID_ARGUMENT');
    assert.equal(field(ambiguous), 'edits.1.oldText');
    assert.match(firstText(ambiguous), /occurs 2 times/);
    const missing = await h.call('edit_file', { path: 'e/two.txt', edits: [{ oldText: 'nowhere', newText: 'z' }] });
    assert.equal(code(missing), 'NOT_FOUND');
    assert.equal(field(missing), 'edits.0.oldText');
    assert.equal(await h.fixture.read('e/two.txt'), 'x x\ny\n');
    const tooBig = await h.call('edit_file', { path: 'e/two.txt', edits: [{ oldText: 'y', newText: 'y'.repeat(80) }] });
    assert.equal(code(tooBig), 'TOO_LARGE');
    assert.equal(await h.fixture.read('e/two.txt'), 'x x\ny\n');
  });

  it('move renames files and directories, refusing to clobber unless asked', async () => {
    await h.fixture.write('m/a.txt', 'A');
    await h.fixture.write('m/b.txt', 'B');
    const moved = await h.call('move', { path: 'm/a.txt', destination: 'm/c.txt' });
    assert.deepEqual(structured(moved), { path: 'm/a.txt', destination: 'm/c.txt', type: 'file' });
    assert.equal(await h.fixture.read('m/a.txt'), undefined);
    assert.equal(await h.fixture.read('m/c.txt'), 'A');
    const clobber = await h.call('move', { path: 'm/c.txt', destination: 'm/b.txt' });
    assert.equal(code(clobber), 'ALREADY_EXISTS');
    assert.equal(field(clobber), 'destination');
    assert.equal(await h.fixture.read('m/b.txt'), 'B');
    assert.equal((await h.call('move', { path: 'm/c.txt', destination: 'm/b.txt', overwrite: true })).isError, undefined);
    assert.equal(await h.fixture.read('m/b.txt'), 'A');
    assert.equal((await h.call('move', { path: 'm', destination: 'm2/inner', createParents: true })).isError, undefined);
    assert.equal(await h.fixture.read('m2/inner/b.txt'), 'A');
    assert.equal(code(await h.call('move', { path: 'm2', destination: 'm2/inner/deeper' })), 'INVALID_ARGUMENT');
    assert.equal(code(await h.call('move', { path: 'nothing-here', destination: 'x' })), 'NOT_FOUND');
    assert.equal(code(await h.call('move', { path: '.', destination: 'x' })), 'ACL_DENIED');
  });

  it('mkdir creates parents, is idempotent, and refuses a file in the way', async () => {
    const made = await h.call('mkdir', { path: 'k/l/m' });
    assert.deepEqual(structured(made), { path: 'k/l/m', created: true });
    assert.equal(structured<{ created: boolean }>(await h.call('mkdir', { path: 'k/l/m' })).created, false);
    assert.equal(code(await h.call('mkdir', { path: 'n/o', parents: false })), 'NOT_FOUND');
    await h.fixture.write('k/file', 'f');
    assert.equal(code(await h.call('mkdir', { path: 'k/file' })), 'ALREADY_EXISTS');
    await h.call('write_file', { path: 'k/l/m/x.txt', content: 'x' });
    assert.equal(await h.fixture.read('k/l/m/x.txt'), 'x');
  });

  it('read_many reads in order, reports each failure in place, and keeps to the total budget', async () => {
    await h.fixture.write('r/1.txt', 'one');
    await h.fixture.write('r/2.txt', 'z'.repeat(60));
    await h.fixture.write('r/3.txt', 'w'.repeat(60));
    const result = await h.call('read_many', { paths: ['r/1.txt', 'r/none.txt', '../escape', 'r/2.txt', 'r/3.txt'] });
    assert.equal(result.isError, undefined);
    const files = structured<{ files: { path: string; content?: string; error?: { code: string } }[]; totalBytes: number }>(result);
    assert.deepEqual(
      files.files.map((f) => [f.path, f.content?.length ?? f.error?.code]),
      [
        ['r/1.txt', 3],
        ['r/none.txt', 'NOT_FOUND'],
        ['../escape', 'ACL_DENIED'],
        ['r/2.txt', 60],
        // 3 + 60 of a 100-byte budget: the third file would pass it, so it is refused, not cut.
        ['r/3.txt', 'TOO_LARGE'],
      ],
    );
    assert.equal(files.totalBytes, 63);
  });
}
