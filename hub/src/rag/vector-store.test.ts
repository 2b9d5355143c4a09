import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { type CallToolResult, Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { McpVectorStore } from './vector-store.ts';

const cli = join(import.meta.dirname, '..', '..', '..', 'bin', 'switchboard.mjs');

/** A real rag server (mock store) in a child process, reached over MCP stdio as the hub would. */
describe('McpVectorStore over a rag server', () => {
  const client = new Client({ name: 'vector-store-test', version: '0' });
  const callTool = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  const store = new McpVectorStore({ callTool, collection: 'kb', server: '' });

  before(async () => {
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cli, 'server', 'rag', '--mock'],
        env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' },
        stderr: 'ignore',
      }),
    );
    await callTool('create_collection', { collection: 'kb' });
  });
  after(() => client.close());

  it('adds documents and finds them again, with source ids in the metadata', async () => {
    const ids = await store.addDocuments(
      [
        { pageContent: 'Rotate the signing keys every ninety days.', metadata: { team: 'security' } },
        { pageContent: 'Deploys go out on Tuesdays after the canary passes.', metadata: { team: 'ops' } },
      ],
      { ids: ['keys', 'deploys'] },
    );
    assert.deepEqual(ids, ['keys', 'deploys']);
    const [[doc, score] = []] = await store.similaritySearchWithScore('when do deploys go out', 1);
    assert.equal(doc?.pageContent, 'Deploys go out on Tuesdays after the canary passes.');
    assert.deepEqual(doc?.metadata, { team: 'ops', documentId: 'deploys', chunkId: 'deploys#0', score });
    const filtered = await store.similaritySearch('keys deploys', 5, { team: 'security' });
    assert.deepEqual(
      filtered.map((d) => d.metadata.documentId),
      ['keys'],
    );
  });

  it('serves as a retriever inside a LangGraph node', async () => {
    const retriever = store.asRetriever(1);
    const State = Annotation.Root({ question: Annotation<string>, sources: Annotation<string[]> });
    const graph = new StateGraph(State)
      .addNode('retrieve', async (state: typeof State.State) => ({
        sources: (await retriever.invoke(state.question)).map((d) => String(d.metadata.chunkId)),
      }))
      .addEdge(START, 'retrieve')
      .addEdge('retrieve', END)
      .compile();
    const out = await graph.invoke({ question: 'how often are signing keys rotated?' });
    assert.deepEqual(out.sources, ['keys#0']);
  });

  it('deletes by id, and refuses what the server does itself', async () => {
    await store.delete({ ids: ['keys'] });
    const left = await store.similaritySearch('signing keys rotate', 5);
    assert.equal(
      left.some((d) => d.metadata.documentId === 'keys'),
      false,
    );
    await assert.rejects(store.addVectors(), /computes its own vectors/);
    await assert.rejects(store.similaritySearchVectorWithScore(), /embeds the query itself/);
    await assert.rejects(store.addDocuments([{ pageContent: 'no id', metadata: {} }]), /has no id/);
  });

  it('surfaces server errors with their code', async () => {
    const missing = new McpVectorStore({ callTool, collection: 'nope', server: '' });
    await assert.rejects(missing.similaritySearch('x'), (error: { code: string }) => error.code === 'NOT_FOUND');
  });
});
