import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MemoryRagStore } from '../backend-mock.ts';
import { RagConfigSchema } from '../config.ts';
import { RagEngine } from '../engine/engine.ts';
import { fromLangChain } from './embedder.ts';
import { OpenAICompatibleEmbeddings } from './openai.ts';
import { createEmbedderProvider } from './provider.ts';

const KEY = 'sk-test-very-secret';

/** A tiny OpenAI-compatible endpoint: 3-dimensional vectors from letter counts, answered in reverse order. */
function startEndpoint(state: { requests: { auth?: string; input: string[]; dimensions?: number }[]; fail?: number }): Promise<Server> {
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const parsed = JSON.parse(body) as { input: string[]; model: string; dimensions?: number };
    state.requests.push({
      auth: req.headers.authorization,
      input: parsed.input,
      ...(parsed.dimensions ? { dimensions: parsed.dimensions } : {}),
    });
    if (state.fail !== undefined) {
      res.writeHead(state.fail, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `invalid key ${req.headers.authorization}` } }));
      return;
    }
    const data = parsed.input.map((text, index) => ({ index, embedding: [count(text, 'a'), count(text, 'e') + 0.01, count(text, 'o')] }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: data.reverse(), model: parsed.model }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const count = (text: string, letter: string) => [...text].filter((c) => c === letter).length;

describe('OpenAI-compatible embeddings', () => {
  const state: { requests: { auth?: string; input: string[]; dimensions?: number }[]; fail?: number } = { requests: [] };
  let server: Server;
  let url: string;
  before(async () => {
    server = await startEndpoint(state);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('batches, authenticates, and orders vectors by index', async () => {
    state.requests = [];
    const embeddings = new OpenAICompatibleEmbeddings({ url, model: 'm', apiKey: KEY, batchSize: 2, dimensions: 3 });
    const vectors = await embeddings.embedDocuments(['aaa', 'eee', 'ooo', 'a']);
    assert.deepEqual(vectors, [
      [3, 0.01, 0],
      [0, 3.01, 0],
      [0, 0.01, 3],
      [1, 0.01, 0],
    ]);
    assert.equal(state.requests.length, 2);
    assert.equal(state.requests[0]?.auth, `Bearer ${KEY}`);
    assert.equal(state.requests[0]?.dimensions, 3);
  });

  it('does not retry a refused key, and never echoes it', async () => {
    state.requests = [];
    state.fail = 401;
    const embeddings = new OpenAICompatibleEmbeddings({ url, model: 'm', apiKey: KEY });
    await assert.rejects(embeddings.embedQuery('x'), (error: Error) => /HTTP 401/.test(error.message));
    assert.equal(state.requests.length, 1);
    state.fail = undefined;
  });

  it('checks the answered size against the collection’s', async () => {
    const embedder = fromLangChain(new OpenAICompatibleEmbeddings({ url, model: 'm' }), 'openai:m', 4);
    await assert.rejects(embedder.embedQuery('x'), /answered 3 dimensions, expected 4/);
  });

  it('serves a collection end to end: probes the size, indexes, searches; a dead endpoint is UPSTREAM_UNAVAILABLE', async () => {
    const config = RagConfigSchema.parse({ mock: true, embedder: { kind: 'openai', url, model: 'letters', apiKey: KEY } });
    const engine = new RagEngine(new MemoryRagStore(), config, createEmbedderProvider(config.embedder));
    const { info } = await engine.createCollection('c', {});
    assert.deepEqual([info.embedder, info.dimensions], ['openai:letters', 3]);
    await engine.index('c', [
      { id: 'a', text: 'banana' },
      { id: 'o', text: 'cocoon' },
    ]);
    const [top] = await engine.search('c', { query: 'voodoo', k: 1, mode: 'vector' });
    assert.equal(top?.documentId, 'o');
    state.fail = 503;
    await assert.rejects(engine.search('c', { query: 'papaya', k: 1, mode: 'vector' }), (error: { code: string; message: string }) => {
      assert.equal(error.code, 'UPSTREAM_UNAVAILABLE');
      assert.match(error.message, /embedder 'openai:letters' failed: embeddings endpoint answered HTTP 503/);
      return true;
    });
    state.fail = undefined;
    const [lexical] = await engine.search('c', { query: 'banana', k: 1, mode: 'lexical' });
    assert.equal(lexical?.documentId, 'a');
  });
});
