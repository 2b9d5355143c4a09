import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { it } from 'node:test';
import { code, field, firstText, type H, structured } from './fixture.ts';

/** Every way out of the roots, deny globs, read-only roots and protected paths. */
export function confinementCases(h: H): void {
  it('refuses every lexical way out of the root, naming the field', async () => {
    for (const path of [
      '../secret.txt',
      '../../etc/passwd',
      '/etc/passwd',
      h.fixture.secret,
      `${h.fixture.outside}/../outside/secret.txt`,
      'a/../../root-evil/x',
      'a\0b',
      '..\\secret.txt',
      'C:/Windows/win.ini',
      '~/.bashrc',
      'line\nbreak',
    ]) {
      const result = await h.call('read_file', { path });
      assert.equal(result.isError, true, path);
      assert.ok(['ACL_DENIED', 'INVALID_ARGUMENT'].includes(code(result) ?? ''), `${path}: ${code(result)}`);
      assert.equal(field(result), 'path');
      assert.doesNotMatch(JSON.stringify(result), /top secret/);
    }
    assert.equal(code(await h.call('write_file', { path: '../escaped.txt', content: 'x' })), 'ACL_DENIED');
    assert.equal(code(await h.call('move', { path: 'docs', destination: '../moved' })), 'ACL_DENIED');
    assert.deepEqual(await h.fixture.outsideNames(), ['secret.txt']);
  });

  it('refuses symlinks that lead outside, for every tool', async () => {
    await h.fixture.symlink(h.fixture.secret, 'link-to-secret');
    await h.fixture.symlink(dirname(h.fixture.secret), 'link-to-outside');
    const refusals: [string, Record<string, unknown>][] = [
      ['read_file', { path: 'link-to-secret' }],
      ['read_file', { path: 'link-to-outside/secret.txt' }],
      ['write_file', { path: 'link-to-outside/new.txt', content: 'x' }],
      ['list_dir', { path: 'link-to-outside' }],
      ['stat', { path: 'link-to-outside/secret.txt' }],
      ['search', { path: 'link-to-outside', glob: '*' }],
      ['mkdir', { path: 'link-to-outside/sub' }],
      ['edit_file', { path: 'link-to-secret', edits: [{ oldText: 'top', newText: 'pwned' }] }],
      ['move', { path: 'link-to-outside/secret.txt', destination: 'stolen.txt' }],
      ['move', { path: 'docs', destination: 'link-to-outside/docs' }],
      ['delete', { path: 'link-to-outside/secret.txt' }],
    ];
    for (const [tool, args] of refusals) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'ACL_DENIED', `${tool} ${JSON.stringify(args)}: ${firstText(result)}`);
      assert.doesNotMatch(JSON.stringify(result), /top secret/);
    }
    const many = structured<{ files: { error?: { code: string } }[] }>(await h.call('read_many', { paths: ['link-to-secret'] }));
    assert.equal(many.files[0]?.error?.code, 'ACL_DENIED');
    assert.deepEqual(await h.fixture.outsideNames(), ['secret.txt']);
    // A symlink itself is only a name in the root: deleting it removes the link, never the target.
    assert.equal((await h.call('delete', { path: 'link-to-secret' })).isError, undefined);
    assert.deepEqual(await h.fixture.outsideNames(), ['secret.txt']);
    await h.fixture.symlink('inside-target.txt', 'inside-link');
    await h.fixture.write('inside-target.txt', 'fine');
    assert.equal(firstText(await h.call('read_file', { path: 'inside-link' })), 'fine');
  });

  it('denies the default and per-root deny globs, through symlinks too, and hides them from listings', async () => {
    await h.fixture.write('.env', 'TOKEN=1');
    await h.fixture.write('app/.env', 'TOKEN=2');
    await h.fixture.write('app/main.ts', 'export {}');
    await h.fixture.write('.git/config', '[core]');
    await h.fixture.write('private/notes.txt', 'mine');
    await h.fixture.write('keys/server.pem', '-----BEGIN');
    await h.fixture.symlink('.env', 'innocent-name');
    for (const [tool, args] of [
      ['read_file', { path: '.env' }],
      ['read_file', { path: 'app/.env' }],
      ['read_file', { path: '.git/config' }],
      ['write_file', { path: '.git/hooks/pre-commit', content: '#!/bin/sh\nevil' }],
      ['write_file', { path: '.git', content: 'gitdir: /elsewhere' }],
      ['read_file', { path: 'private/notes.txt' }],
      ['read_file', { path: 'keys/server.pem' }],
      ['read_file', { path: 'innocent-name' }],
      ['move', { path: 'app/.env', destination: 'app/env.txt' }],
      ['move', { path: 'app', destination: 'app-moved' }],
      ['move', { path: 'docs', destination: '.git/docs' }],
      ['delete', { path: 'app', recursive: true }],
      ['list_dir', { path: 'private' }],
    ] as const) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'ACL_DENIED', `${tool} ${JSON.stringify(args)}`);
    }
    assert.equal(await h.fixture.read('.git/config'), '[core]');
    assert.equal(await h.fixture.read('app/.env'), 'TOKEN=2');
    assert.equal(await h.fixture.read('app/main.ts'), 'export {}', 'a refused recursive delete deletes nothing');
    const listing = structured<{ entries: { name: string }[]; hidden: number }>(await h.call('list_dir', { path: '.' }));
    const names = listing.entries.map((e) => e.name);
    for (const hidden of ['.env', '.git', 'private']) assert.ok(!names.includes(hidden), hidden);
    assert.ok(listing.hidden >= 3);
    const found = structured<{ matches: { path: string }[] }>(await h.call('search', { glob: '*' })).matches.map((m) => m.path);
    assert.ok(!found.some((path) => /(^|\/)\.env$|\.git\/|private\/|\.pem$/.test(path)), found.join(' '));
  });

  it('refuses every change under a read-only root and still reads it', async () => {
    const ro = h.fixture.readOnlyRoot;
    assert.equal(firstText(await h.call('read_file', { path: `${ro}/ro.txt` })), 'read me');
    for (const [tool, args] of [
      ['write_file', { path: `${ro}/new.txt`, content: 'x' }],
      ['edit_file', { path: `${ro}/ro.txt`, edits: [{ oldText: 'read', newText: 'write' }] }],
      ['mkdir', { path: `${ro}/dir` }],
      ['delete', { path: `${ro}/ro.txt` }],
      ['move', { path: `${ro}/ro.txt`, destination: 'taken.txt' }],
      ['move', { path: 'inside-target.txt', destination: `${ro}/dropped.txt` }],
    ] as const) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'READ_ONLY', `${tool} ${JSON.stringify(args)}`);
    }
    assert.equal(field(await h.call('move', { path: 'inside-target.txt', destination: `${ro}/x` })), 'destination');
    const preview = await h.call('edit_file', { path: `${ro}/ro.txt`, edits: [{ oldText: 'read', newText: 'write' }], dryRun: true });
    assert.equal(preview.isError, undefined);
    assert.equal(firstText(await h.call('read_file', { path: `${ro}/ro.txt` })), 'read me');
  });

  it('never reaches a protected path (the security configuration), directly, by symlink or by carrying it off', async () => {
    const dir = h.fixture.protectedDir;
    await h.fixture.symlink(`${dir}/switchboard.yaml`, 'config-link');
    await h.fixture.write('holder/readme.txt', 'x');
    for (const [tool, args] of [
      ['read_file', { path: `${dir}/switchboard.yaml` }],
      ['write_file', { path: `${dir}/switchboard.yaml`, content: 'roles: []' }],
      ['write_file', { path: `${dir}/new-role.yaml`, content: 'x' }],
      ['edit_file', { path: `${dir}/switchboard.yaml`, edits: [{ oldText: 'roles', newText: 'x' }] }],
      ['read_file', { path: 'config-link' }],
      ['list_dir', { path: dir }],
      ['delete', { path: dir, recursive: true }],
      ['move', { path: dir, destination: 'holder/config' }],
      ['delete', { path: '.', recursive: true }],
    ] as const) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'ACL_DENIED', `${tool} ${JSON.stringify(args)}`);
      assert.doesNotMatch(JSON.stringify(result), /roles: \.\.\/roles/);
    }
    const names = structured<{ entries: { name: string }[] }>(await h.call('list_dir', { path: '.' })).entries.map((e) => e.name);
    assert.ok(!names.includes(dir));
    // A protected file deeper down: the directories above it cannot be moved or deleted whole.
    await h.fixture.write('nested/deep/keys.yaml', 'k');
    await h.fixture.write('nested/other.txt', 'o');
    for (const [tool, args] of [
      ['move', { path: 'nested', destination: 'moved-nested' }],
      ['delete', { path: 'nested', recursive: true }],
    ] as const) {
      assert.equal(code(await h.call(tool, args)), 'ACL_DENIED', tool);
    }
    assert.equal(await h.fixture.read('nested/other.txt'), 'o');
    assert.equal((await h.call('delete', { path: 'nested/other.txt' })).isError, undefined);
    assert.equal(await h.fixture.read(`${dir}/switchboard.yaml`), 'roles: ../roles');
  });
}
