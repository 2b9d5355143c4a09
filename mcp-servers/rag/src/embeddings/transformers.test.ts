import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '@switchboard/kit';
import { importTransformers, TransformersEmbeddings } from './transformers.ts';

describe('transformers embeddings (optional package)', () => {
  it('explains how to install it when it is absent', async () => {
    const missing = Object.assign(new Error("Cannot find package '@huggingface/transformers'"), { code: 'ERR_MODULE_NOT_FOUND' });
    await assert.rejects(
      importTransformers(async () => {
        throw missing;
      }),
      (error: ToolError) =>
        error instanceof ToolError &&
        error.code === 'INVALID_CONFIG' &&
        /npm install @huggingface\/transformers/.test(error.message) &&
        /--embedder hashing/.test(error.message),
    );
  });

  it('is really absent from this install, and says so', async () => {
    await assert.rejects(importTransformers(), (error: ToolError) => error.code === 'INVALID_CONFIG');
  });

  it('runs a local model with remote models off, mean-pooled and normalised', async () => {
    const calls: unknown[] = [];
    const env = { allowRemoteModels: true, allowLocalModels: false, localModelPath: '' };
    const module = {
      env,
      pipeline: async (task: string, model: string) => {
        calls.push([task, model]);
        return async (texts: string[], options: unknown) => {
          calls.push(options);
          return { tolist: () => texts.map((t) => [t.length, 1]) };
        };
      },
    };
    const embeddings = await TransformersEmbeddings.load({ modelDir: '/models', model: 'Xenova/all-MiniLM-L6-v2', batchSize: 2 }, module);
    assert.deepEqual(env, { allowRemoteModels: false, allowLocalModels: true, localModelPath: '/models' });
    assert.deepEqual(await embeddings.embedDocuments(['a', 'bb', 'ccc']), [
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    assert.deepEqual(calls, [
      ['feature-extraction', 'Xenova/all-MiniLM-L6-v2'],
      { pooling: 'mean', normalize: true },
      { pooling: 'mean', normalize: true },
    ]);
  });
});
