import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { errorOfResult } from '@switchboard/kit';
import { contractSuite } from '@switchboard/kit/contract';
import { MemoryFsBackend } from '../src/backend-mock.ts';
import { createDiskBackend } from '../src/backend-real.ts';
import { FsConfigSchema } from '../src/config.ts';
import { createServer } from '../src/server.ts';

/** What the suite needs from a backend: seed files, look at them, plant symlinks, and a secret outside the root. */
interface Fixture {
  write(relative: string, text: string): Promise<void>;
  read(relative: string): Promise<string | undefined>;
  symlink(target: string, relative: string): Promise<void>;
  /** Absolute path of a file outside every root. */
  secret: string;
  /** A configured root that does not exist. */
  missingRoot: string;
}

const limits = { maxReadBytes: 64, maxWriteBytes: 64 };

await contractSuite<Fixture>(
  'fs',
  [
    {
      name: 'mock',
      setup: async () => {
        const root = '/srv/root';
        const backend = MemoryFsBackend.seeded(root);
        await backend.mkdirp('/srv/outside');
        await backend.writeFile('/srv/outside/secret.txt', new TextEncoder().encode('top secret'));
        const config = FsConfigSchema.parse({ roots: [root, '/srv/missing'], mock: true, ...limits });
        return {
          factory: () => createServer(backend, config).server,
          fixture: {
            write: async (rel, text) => {
              const path = `${root}/${rel}`;
              await backend.mkdirp(dirname(path));
              await backend.writeFile(path, new TextEncoder().encode(text));
            },
            read: (rel) =>
              backend.readFile(`${root}/${rel}`).then(
                (data) => new TextDecoder().decode(data),
                () => undefined,
              ),
            symlink: async (target, rel) => backend.symlink(target, `${root}/${rel}`),
            secret: '/srv/outside/secret.txt',
            missingRoot: '/srv/missing',
          },
        };
      },
    },
    {
      name: 'disk',
      setup: async () => {
        const base = mkdtempSync(join(tmpdir(), 'sb-fs-contract-'));
        const root = join(base, 'root');
        mkdirSync(root);
        mkdirSync(join(base, 'root-evil'));
        writeFileSync(join(base, 'secret.txt'), 'top secret');
        const backend = createDiskBackend();
        const config = FsConfigSchema.parse({ roots: [root, join(base, 'missing')], ...limits });
        return {
          factory: () => createServer(backend, config).server,
          teardown: async () => rmSync(base, { recursive: true, force: true }),
          fixture: {
            write: async (rel, text) => {
              mkdirSync(dirname(join(root, rel)), { recursive: true });
              writeFileSync(join(root, rel), text);
            },
            read: async (rel) => (existsSync(join(root, rel)) ? readFileSync(join(root, rel), 'utf8') : undefined),
            symlink: async (target, rel) => symlinkSync(target, join(root, rel)),
            secret: join(base, 'secret.txt'),
            missingRoot: join(base, 'missing'),
          },
        };
      },
    },
  ],
  (h) => {
    it('writes, reads back, lists and stats a file', async () => {
      const written = await h.call('write_file', { path: 'docs/a.txt', content: 'alpha\n' });
      assert.deepEqual(written.structuredContent, { path: 'docs/a.txt', size: 6, created: true });
      const read = await h.call('read_file', { path: 'docs/a.txt' });
      assert.deepEqual(read.structuredContent, { path: 'docs/a.txt', size: 6, content: 'alpha\n' });
      assert.deepEqual(read.content, [{ type: 'text', text: 'alpha\n' }]);
      const listed = await h.call('list_dir', { path: 'docs' });
      assert.deepEqual((listed.structuredContent as { entries: unknown[] }).entries, [{ name: 'a.txt', type: 'file', size: 6 }]);
      const stat = await h.call('stat', { path: 'docs/a.txt' });
      assert.equal((stat.structuredContent as { type: string }).type, 'file');
      const again = await h.call('write_file', { path: 'docs/a.txt', content: 'beta' });
      assert.equal((again.structuredContent as { created: boolean }).created, false);
      assert.equal(await h.fixture.read('docs/a.txt'), 'beta');
    });

    it('round-trips bytes as base64 and refuses invalid UTF-8 as text', async () => {
      const bytes = Buffer.from([0xff, 0x00, 0xfe]).toString('base64');
      await h.call('write_file', { path: 'bin.dat', contentBase64: bytes });
      assert.equal(code(await h.call('read_file', { path: 'bin.dat' })), 'INVALID_ARGUMENT');
      const read = await h.call('read_file', { path: 'bin.dat', encoding: 'base64' });
      assert.equal((read.structuredContent as { contentBase64: string }).contentBase64, bytes);
    });

    it('searches by glob and by content', async () => {
      await h.fixture.write('s/one.md', 'first line\nthe needle here\n');
      await h.fixture.write('s/deep/two.md', 'no match\n');
      await h.fixture.write('s/three.txt', 'needle too\n');
      const byGlob = await h.call('search', { path: 's', glob: '*.md' });
      assert.deepEqual(
        (byGlob.structuredContent as { matches: { path: string }[] }).matches.map((m) => m.path),
        ['s/one.md', 's/deep/two.md'],
      );
      const byText = await h.call('search', { path: 's', contains: 'needle' });
      assert.deepEqual((byText.structuredContent as { matches: unknown[] }).matches, [
        { path: 's/one.md', line: 2, text: 'the needle here' },
        { path: 's/three.txt', line: 1, text: 'needle too' },
      ]);
      const limited = await h.call('search', { path: 's', contains: 'needle', limit: 1 });
      assert.equal((limited.structuredContent as { truncated: boolean }).truncated, true);
    });

    it('deletes files, refuses non-empty directories without recursive, and never a root', async () => {
      await h.fixture.write('d/x.txt', 'x');
      assert.equal(code(await h.call('delete', { path: 'd' })), 'INVALID_ARGUMENT');
      assert.equal((await h.call('delete', { path: 'd', recursive: true })).isError, undefined);
      assert.equal(await h.fixture.read('d/x.txt'), undefined);
      assert.equal(code(await h.call('delete', { path: '.', recursive: true })), 'ACL_DENIED');
      assert.equal(code(await h.call('delete', { path: 'nope' })), 'NOT_FOUND');
    });

    it('refuses every way out of the root, naming the field', async () => {
      for (const path of [
        '../secret.txt',
        '../../etc/passwd',
        '/etc/passwd',
        h.fixture.secret,
        'a/../../root-evil/x',
        'a\0b',
        '..\\secret.txt',
      ]) {
        const result = await h.call('read_file', { path });
        assert.equal(result.isError, true, path);
        assert.ok(['ACL_DENIED', 'INVALID_ARGUMENT'].includes(code(result) ?? ''), `${path}: ${code(result)}`);
        assert.equal(errorOfResult(result)?.field, 'path');
        assert.doesNotMatch(JSON.stringify(result), /top secret/);
      }
      const write = await h.call('write_file', { path: '../escaped.txt', content: 'x' });
      assert.equal(code(write), 'ACL_DENIED');
    });

    it('refuses symlinks that lead outside, for reads, writes and listing', async () => {
      await h.fixture.symlink(h.fixture.secret, 'link-to-secret');
      await h.fixture.symlink(dirname(h.fixture.secret), 'link-to-outside');
      assert.equal(code(await h.call('read_file', { path: 'link-to-secret' })), 'ACL_DENIED');
      assert.equal(code(await h.call('read_file', { path: 'link-to-outside/secret.txt' })), 'ACL_DENIED');
      assert.equal(code(await h.call('write_file', { path: 'link-to-outside/new.txt', content: 'x' })), 'ACL_DENIED');
      assert.equal(code(await h.call('list_dir', { path: 'link-to-outside' })), 'ACL_DENIED');
      await h.fixture.symlink('inside-target.txt', 'inside-link');
      await h.fixture.write('inside-target.txt', 'fine');
      assert.equal(firstText(await h.call('read_file', { path: 'inside-link' })), 'fine');
    });

    it('refuses oversized reads and writes instead of cutting them', async () => {
      await h.fixture.write('big.txt', 'x'.repeat(65));
      assert.equal(code(await h.call('read_file', { path: 'big.txt' })), 'TOO_LARGE');
      const write = await h.call('write_file', { path: 'big2.txt', content: 'y'.repeat(65) });
      assert.equal(code(write), 'TOO_LARGE');
      assert.equal(errorOfResult(write)?.field, 'content');
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
      ];
      for (const [tool, args, field] of cases) {
        const result = await h.call(tool, args);
        assert.equal(code(result), 'INVALID_ARGUMENT', `${tool} ${JSON.stringify(args)}`);
        assert.equal(errorOfResult(result)?.field, field, `${tool} ${JSON.stringify(args)}`);
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
      assert.match(path?.description ?? '', /Roots: /);
      assert.deepEqual(tools.map((t) => t.name).sort(), ['delete', 'list_dir', 'read_file', 'search', 'stat', 'write_file']);
      assert.equal(read?.annotations?.readOnlyHint, true);
      assert.ok(read?.outputSchema);
    });
  },
);

function code(result: { isError?: boolean; _meta?: Record<string, unknown> }): string | undefined {
  return errorOfResult(result)?.code;
}

function firstText(result: { content: unknown[] }): string {
  return (result.content[0] as { text: string }).text;
}
