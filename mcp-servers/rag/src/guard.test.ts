import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '@switchboard/kit';
import {
  checkCollectionAllowed,
  checkCollectionName,
  checkDocuments,
  checkEmbedderMatches,
  refuseWhenReadOnly,
  resolveInsideRoot,
} from './guard.ts';

const fails = (fn: () => void, code: string, field?: string) =>
  assert.throws(
    fn,
    (error: ToolError) => error instanceof ToolError && error.code === code && (field === undefined || error.field === field),
  );

describe('rag guard', () => {
  it('accepts safe collection names and refuses paths, dots and odd characters', () => {
    for (const ok of ['docs', 'team-notes', 'v1.2', 'a_b']) checkCollectionName(ok);
    for (const bad of ['', '../x', 'a/b', 'a\\b', '.x', 'A', 'a b', 'x'.repeat(65), 'a..b', 'a\u0000', 'ü'])
      fails(() => checkCollectionName(bad), 'INVALID_ARGUMENT', 'collection');
  });

  it('applies the allowlist globs', () => {
    checkCollectionAllowed(['*'], 'anything');
    checkCollectionAllowed(['team-*', 'docs'], 'team-x');
    fails(() => checkCollectionAllowed(['team-*', 'docs'], 'docs2'), 'ACL_DENIED');
    fails(() => checkCollectionAllowed(['d?cs'], 'dooocs'), 'ACL_DENIED');
    fails(() => checkCollectionAllowed(['a.b'], 'axb'), 'ACL_DENIED');
  });

  it('refuses writes when read-only', () => {
    refuseWhenReadOnly(false, 'index');
    fails(() => refuseWhenReadOnly(true, 'index'), 'READ_ONLY');
  });

  it('checks document limits, naming the document field', () => {
    const limits = { maxDocumentBytes: 10, maxMetadataBytes: 20 };
    checkDocuments([{ id: 'a', text: '0123456789' }], limits);
    fails(() => checkDocuments([{ id: 'a', text: 'é'.repeat(6) }], limits), 'TOO_LARGE', 'documents.0.text');
    fails(() => checkDocuments([{ id: 'a', text: 'x', metadata: { long: 'y'.repeat(20) } }], limits), 'TOO_LARGE', 'documents.0.metadata');
    fails(
      () =>
        checkDocuments(
          [
            { id: 'a', text: 'x' },
            { id: 'a', text: 'y' },
          ],
          limits,
        ),
      'INVALID_ARGUMENT',
      'documents.1.id',
    );
  });

  it('names both embedders on a mismatch', () => {
    checkEmbedderMatches({ name: 'c', embedder: 'hashing-v1', dimensions: 8 }, 'hashing-v1', 8);
    assert.throws(
      () => checkEmbedderMatches({ name: 'c', embedder: 'hashing-v1', dimensions: 8 }, 'openai:m', undefined),
      /built with embedder 'hashing-v1' \(8 dimensions\) but this server embeds with 'openai:m'/,
    );
  });

  it('confines index_path lexically', () => {
    const roots = ['/srv/docs', '/srv/more'];
    assert.deepEqual(resolveInsideRoot(roots, 'a/b'), { root: '/srv/docs', absolute: '/srv/docs/a/b', relative: 'a/b' });
    assert.equal(resolveInsideRoot(roots, '/srv/more/x').root, '/srv/more');
    assert.equal(resolveInsideRoot(roots, '.').relative, '');
    for (const bad of ['../x', '/srv/docs-evil', '/etc/passwd', 'a/../../x', '/srv'])
      fails(() => resolveInsideRoot(roots, bad), 'ACL_DENIED', 'path');
    for (const bad of ['a\u0000', 'a\\..\\x']) fails(() => resolveInsideRoot(roots, bad), 'INVALID_ARGUMENT', 'path');
    fails(() => resolveInsideRoot([], '.'), 'ACL_DENIED', 'path');
  });
});
