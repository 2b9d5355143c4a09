import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { parseRagArgs } from './main.ts';

describe('rag server flags', () => {
  it('takes a data dir, allowlist, roots and limits', () => {
    const { config, transport } = parseRagArgs(
      [
        '--data',
        'rel/data',
        '--collection',
        'docs',
        '--collection',
        'team-*',
        '--root',
        '/nonexistent-x',
        '--read-only',
        '--max-k',
        '20',
        '--chunk-size',
        '500',
        '--chunk-overlap',
        '50',
      ],
      {},
    );
    assert.match(config.data ?? '', /^\/.*rel\/data$/);
    assert.deepEqual(config.collections, ['docs', 'team-*']);
    assert.deepEqual(config.roots, ['/nonexistent-x']);
    assert.equal(config.readOnly, true);
    assert.deepEqual([config.maxK, config.chunkSize, config.chunkOverlap], [20, 500, 50]);
    assert.deepEqual(config.embedder, { kind: 'hashing', dimensions: 1024 });
    assert.equal(transport.transport, 'stdio');
  });

  it('reads env, and the API key only from env', () => {
    const { config } = parseRagArgs(['--mock', '--embedder', 'openai', '--embeddings-url', 'http://127.0.0.1:9/v1'], {
      RAG_EMBEDDINGS_MODEL: 'nomic-embed-text',
      RAG_EMBEDDINGS_API_KEY: 'sk-x',
      RAG_COLLECTIONS: 'a, b',
      RAG_READ_ONLY: '1',
    });
    assert.deepEqual(config.embedder, { kind: 'openai', url: 'http://127.0.0.1:9/v1', model: 'nomic-embed-text', apiKey: 'sk-x' });
    assert.deepEqual(config.collections, ['a', 'b']);
    assert.equal(config.readOnly, true);
    assert.throws(() => parseRagArgs(['--mock', '--api-key', 'sk-x'], {}), /api-key/);
  });

  it('refuses missing and bad settings, naming the flag', () => {
    const refuses = (argv: string[], flag: RegExp) =>
      assert.throws(
        () => parseRagArgs(argv, {}),
        (e: ToolError) => e.code === 'INVALID_CONFIG' && flag.test(e.message),
        argv.join(' '),
      );
    refuses([], /--data/);
    refuses(['--mock', '--max-k', 'lots'], /--max-k/);
    refuses(['--mock', '--chunk-size', '1000', '--chunk-overlap', '600'], /--chunk-overlap/);
    refuses(['--mock', '--embedder', 'openai'], /--embeddings-url/);
    refuses(['--mock', '--embedder', 'word2vec'], /--embedder/);
    refuses(['--mock', '--embedder', 'transformers', '--embeddings-model', 'm'], /--model-dir/);
    refuses(['--mock', '--collection', '../x'], /--collection/);
    refuses(['--mock', '--dimensions', '3'], /--dimensions/);
  });
});
