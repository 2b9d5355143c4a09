import assert from 'node:assert/strict';
import { it } from 'node:test';
import { errorOfResult } from '@switchboard/kit';
import { code, field, firstText, type H, structured } from './fixture.ts';

/** The everyday contract: round trips, listings, search, delete, limits, validation. */
export function basicCases(h: H): void {
  it('writes, reads back, lists and stats a file', async () => {
    const written = await h.call('write_file', { path: 'docs/a.txt', content: 'alpha\n' });
    assert.deepEqual(written.structuredContent, { path: 'docs/a.txt', size: 6, created: true });
    const read = await h.call('read_file', { path: 'docs/a.txt' });
    assert.deepEqual(read.structuredContent, { path: 'docs/a.txt', size: 6, content: 'alpha\n' });
    assert.deepEqual(read.content, [{ type: 'text', text: 'alpha\n' }]);
    const listed = await h.call('list_dir', { path: 'docs' });
    assert.deepEqual(structured(listed), {
      path: 'docs',
      entries: [{ name: 'a.txt', type: 'file', size: 6 }],
      truncated: false,
      hidden: 0,
    });
    const stat = await h.call('stat', { path: 'docs/a.txt' });
    assert.equal(structured<{ type: string }>(stat).type, 'file');
    const again = await h.call('write_file', { path: 'docs/a.txt', content: 'beta' });
    assert.equal(structured<{ created: boolean }>(again).created, false);
    assert.equal(await h.fixture.read('docs/a.txt'), 'beta');
    const refused = await h.call('write_file', { path: 'docs/a.txt', content: 'gamma', overwrite: false });
    assert.equal(code(refused), 'ALREADY_EXISTS');
    assert.equal(await h.fixture.read('docs/a.txt'), 'beta');
  });

  it('round-trips bytes as base64 and refuses invalid UTF-8 as text', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe]).toString('base64');
    await h.call('write_file', { path: 'bin.dat', contentBase64: bytes });
    assert.equal(code(await h.call('read_file', { path: 'bin.dat' })), 'INVALID_ARGUMENT');
    const read = await h.call('read_file', { path: 'bin.dat', encoding: 'base64' });
    assert.equal(structured<{ contentBase64: string }>(read).contentBase64, bytes);
  });

  it('searches by glob and by content', async () => {
    await h.fixture.write('s/one.md', 'first line\nthe needle here\n');
    await h.fixture.write('s/deep/two.md', 'no match\n');
    await h.fixture.write('s/three.txt', 'needle too\n');
    const byGlob = await h.call('search', { path: 's', glob: '*.md' });
    assert.deepEqual(
      structured<{ matches: { path: string }[] }>(byGlob).matches.map((m) => m.path),
      ['s/one.md', 's/deep/two.md'],
    );
    const byText = await h.call('search', { path: 's', contains: 'needle' });
    assert.deepEqual(structured<{ matches: unknown[] }>(byText).matches, [
      { path: 's/one.md', line: 2, text: 'the needle here' },
      { path: 's/three.txt', line: 1, text: 'needle too' },
    ]);
    const limited = await h.call('search', { path: 's', contains: 'needle', limit: 1 });
    assert.equal(structured<{ truncated: boolean }>(limited).truncated, true);
    assert.equal(code(await h.call('search', { path: 's/one.md', glob: '*' })), 'INVALID_ARGUMENT');
  });

  it('deletes files, refuses non-empty directories without recursive, and never a root', async () => {
    await h.fixture.write('d/x.txt', 'x');
    assert.equal(code(await h.call('delete', { path: 'd' })), 'INVALID_ARGUMENT');
    assert.equal((await h.call('delete', { path: 'd', recursive: true })).isError, undefined);
    assert.equal(await h.fixture.read('d/x.txt'), undefined);
    assert.equal(code(await h.call('delete', { path: '.', recursive: true })), 'ACL_DENIED');
    assert.equal(code(await h.call('delete', { path: 'nope' })), 'NOT_FOUND');
  });

  it('refuses oversized reads and writes instead of cutting them', async () => {
    await h.fixture.write('big.txt', 'x'.repeat(65));
    const read = await h.call('read_file', { path: 'big.txt' });
    assert.equal(code(read), 'TOO_LARGE');
    assert.match(firstText(read), /65 bytes; the limit is 64/);
    const write = await h.call('write_file', { path: 'big2.txt', content: 'y'.repeat(65) });
    assert.equal(code(write), 'TOO_LARGE');
    assert.equal(field(write), 'content');
    assert.equal(await h.fixture.read('big2.txt'), undefined);
  });

  it('validates input with errors naming the field', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['read_file', {}, 'path'],
      ['read_file', { path: 7 }, 'path'],
      ['read_file', { path: 'a', encoding: 'latin1' }, 'encoding'],
      ['write_file', { path: 'a' }, 'content'],
      ['write_file', { path: 'a', content: 'x', contentBase64: 'eA==' }, 'content'],
      ['write_file', { path: 'a', contentBase64: 'not base64!' }, 'contentBase64'],
      ['list_dir', { path: '.', limit: 0 }, 'limit'],
      ['search', { path: '.' }, 'glob'],
      ['read_file', { path: 'a', extra: 1 }, 'extra'],
      ['edit_file', { path: 'a', edits: [] }, 'edits'],
      ['edit_file', { path: 'a', edits: [{ oldText: '', newText: 'x' }] }, 'edits.0.oldText'],
      ['read_many', { paths: [] }, 'paths'],
      ['move', { path: 'a' }, 'destination'],
    ];
    for (const [tool, args, name] of cases) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'INVALID_ARGUMENT', `${tool} ${JSON.stringify(args)}`);
      assert.equal(errorOfResult(result)?.field, name, `${tool} ${JSON.stringify(args)}`);
    }
    assert.equal(await h.fixture.read('a'), undefined);
  });

  it('answers for a missing root without breaking the others', async () => {
    const missing = await h.call('list_dir', { path: h.fixture.missingRoot });
    assert.equal(code(missing), 'NOT_FOUND');
    assert.match(firstText(missing), /is missing; the other roots still work/);
    assert.equal((await h.call('list_dir', { path: '.' })).isError, undefined);
  });

  it('describes the roots in the path field so a model can see the scope', async () => {
    const { tools } = await h.client.listTools();
    const read = tools.find((t) => t.name === 'read_file');
    const path = (read?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.path;
    assert.match(path?.description ?? '', /Roots: .*\(read-only\)/);
    assert.match(path?.description ?? '', /denied in every root: .*\.env/);
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'delete',
      'edit_file',
      'list_dir',
      'mkdir',
      'move',
      'read_file',
      'read_many',
      'search',
      'stat',
      'write_file',
    ]);
    assert.equal(read?.annotations?.readOnlyHint, true);
    assert.ok(read?.outputSchema);
  });
}
