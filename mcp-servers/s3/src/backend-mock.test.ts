import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryS3Backend } from './backend-mock.ts';

/** S3 semantics the contract suite cannot check on s3rver, which counts only objects against MaxKeys. */
describe('MemoryS3Backend listings', () => {
  it('counts common prefixes against the limit and never repeats one across pages', async () => {
    const backend = new MemoryS3Backend(['bkt']);
    for (const key of ['p/a.txt', 'p/b.txt', 'p/c/d.txt', 'p/c/e.txt', 'p/f.txt', 'p/g/h.txt', 'q.txt']) {
      await backend.putObject({ bucket: 'bkt', key, data: new Uint8Array([1]) });
    }
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await backend.listObjects({ bucket: 'bkt', prefix: 'p/', delimiter: '/', limit: 2, continuationToken: token });
      pages.push([...page.objects.map((o) => o.key), ...page.commonPrefixes]);
      token = page.nextContinuationToken;
    } while (token !== undefined);
    assert.deepEqual(pages, [['p/a.txt', 'p/b.txt'], ['p/f.txt', 'p/c/'], ['p/g/']]);
  });

  it('orders keys by UTF-8 bytes, as S3 does', async () => {
    const backend = new MemoryS3Backend(['bkt']);
    for (const key of ['\u{1F600}', '\uFF5E', 'a']) await backend.putObject({ bucket: 'bkt', key, data: new Uint8Array() });
    const page = await backend.listObjects({ bucket: 'bkt', prefix: '', limit: 10 });
    assert.deepEqual(
      page.objects.map((o) => o.key),
      ['a', '\uFF5E', '\u{1F600}'],
    );
  });
});
