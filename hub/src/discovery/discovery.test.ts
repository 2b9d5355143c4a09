import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { createLogger } from '@switchboard/kit';
import { DISCOVERY_TOOL_NAMES } from '../policy/index.ts';
import { CALL_TOOL, DISCOVERY_TOOLS, FIND_TOOLS, unwrapCall } from './discovery-tools.ts';
import { RagToolIndex } from './rag-tool-index.ts';
import { substringSearch } from './substring-search.ts';
import { toolDocument, withoutBoilerplate, words } from './tool-document.ts';
import { type Candidate, ToolFinder } from './tool-finder.ts';

const query: Tool = {
  name: 'sql__query',
  description: 'Runs one SQL statement in a read-only transaction and returns the rows.',
  inputSchema: {
    type: 'object',
    properties: {
      sql: { type: 'string', description: 'the statement, e.g. SELECT count(*) FROM orders' },
      params: { type: 'array', items: { type: 'string' } },
    },
  },
};
const put: Tool = { name: 's3__put_object', description: 'Stores bytes under a key.', inputSchema: { type: 'object', properties: {} } };
const facts = (tool: Tool, server: string, tags: string[] = []) => ({ name: tool.name, server, tags });
const candidates: Candidate[] = [
  { tool: query, facts: facts(query, 'sql', ['storage']), online: true },
  { tool: put, facts: facts(put, 's3'), online: false },
];

describe('discovery: documents, baseline, names', () => {
  it('a tool document carries its name as words, field descriptions, server and tags', () => {
    const doc = toolDocument(query, facts(query, 'sql', ['storage', 'read-only']));
    assert.equal(doc.id, 'sql__query');
    assert.match(doc.text, /sql query/);
    assert.match(doc.text, /sql: the statement, e\.g\. SELECT count\(\*\) FROM orders/);
    assert.match(doc.text, /params: params/);
    assert.match(doc.text, /server: sql\ntags: storage, read-only/);
    assert.deepEqual(doc.metadata, { name: 'sql__query', server: 'sql', tags: ['storage', 'read-only'] });
    assert.equal(words('rag__index_path'), 'rag index path');
    assert.equal(words('listTables'), 'list tables');
  });

  it('drops the sentences most tools of a server repeat, keeping what tells them apart', () => {
    const scope = 'Results: at most 1000 rows and 1048576 bytes.';
    const tool = (name: string, text: string): Tool => ({
      name,
      description: `${text} ${scope}`,
      inputSchema: { type: 'object', properties: { limit: { type: 'number', description: `row limit. ${scope}` } } },
    });
    const docs = [
      tool('sql__query', 'Runs a statement and returns the rows.'),
      tool('sql__list_tables', 'Lists tables.'),
      tool('sql__explain', 'Shows the plan.'),
      tool('sql__list_schemas', 'Lists schemas.'),
    ].map((t) => toolDocument(t, facts(t, 'sql')));
    const [query, tables] = withoutBoilerplate(docs);
    assert.doesNotMatch(query?.text ?? '', /at most 1000 rows/);
    assert.match(query?.text ?? '', /^sql__query — sql query\nRuns a statement and returns the rows\.$/m);
    assert.doesNotMatch(tables?.text ?? '', /rows/);
    const few = withoutBoilerplate(docs.slice(0, 2));
    assert.match(few[0]?.text ?? '', /at most 1000 rows/, 'two tools are too few to call anything boilerplate');
  });

  it('the substring baseline counts query words found in name or description', () => {
    assert.deepEqual(
      substringSearch('store an object under a key', [query, put], 5).map((h) => h.name),
      ['s3__put_object'],
    );
    assert.deepEqual(substringSearch('zzz', [query, put], 5), []);
  });

  it('hub__call_tool unwraps to the call it stands for, and not to itself', () => {
    assert.deepEqual(unwrapCall(CALL_TOOL, { name: 'fs__read_file', arguments: { path: 'a' } }), {
      name: 'fs__read_file',
      args: { path: 'a' },
    });
    assert.equal(unwrapCall(CALL_TOOL, { name: CALL_TOOL, arguments: {} }), undefined);
    assert.equal(unwrapCall(CALL_TOOL, { arguments: {} }), undefined);
    assert.equal(unwrapCall('fs__read_file', { name: 'x' }), undefined);
    assert.deepEqual([...DISCOVERY_TOOL_NAMES].sort(), [...DISCOVERY_TOOLS].sort(), 'the policy knows the same two tools');
    assert.ok(DISCOVERY_TOOLS.has(FIND_TOOLS));
  });
});

/** A fake rag server: records calls, answers search with every indexed document it holds. */
function fakeRag() {
  const calls: { tool: string; args: Record<string, unknown> }[] = [];
  const held = new Map<string, Record<string, unknown>>();
  const ok = (structured: Record<string, unknown>): CallToolResult => ({
    content: [{ type: 'text', text: 'ok' }],
    structuredContent: structured,
  });
  const call = async (tool: string, args: Record<string, unknown>): Promise<CallToolResult> => {
    calls.push({ tool, args });
    if (tool === 'index')
      for (const doc of args.documents as { id: string; metadata: Record<string, unknown> }[]) held.set(doc.id, doc.metadata);
    if (tool === 'delete') for (const id of args.documentIds as string[]) held.delete(id);
    if (tool !== 'search') return ok({});
    const names = ((args.filter as { name?: { $in: string[] } }).name?.$in ?? null) as string[] | null;
    const results = [...held.keys()]
      .filter((id) => names === null || names.includes(id))
      .map((id, i) => ({ documentId: id, chunkId: `${id}#0`, score: 1 / (i + 1), text: id, metadata: held.get(id) }));
    return ok({ results });
  };
  return { calls, held, call };
}

describe('discovery: the rag index and the finder', () => {
  it('indexes the catalogue once, re-syncs only on change, and drops tools that went away', async () => {
    const rag = fakeRag();
    const index = new RagToolIndex(rag.call, 'hub-tools', 100);
    let docs = [toolDocument(query, facts(query, 'sql')), toolDocument(put, facts(put, 's3'))];
    const names = new Set(['sql__query', 's3__put_object']);
    await index.search('rows', () => docs, { k: 5, names });
    await index.search('rows', () => docs, { k: 5, names });
    assert.deepEqual(
      rag.calls.map((c) => c.tool),
      ['create_collection', 'index', 'search', 'search'],
    );
    docs = docs.slice(0, 1);
    await index.search('rows', () => docs, { k: 5, names });
    assert.deepEqual(
      rag.calls.slice(4).map((c) => c.tool),
      ['index', 'delete', 'search'],
    );
    assert.deepEqual([...rag.held.keys()], ['sql__query']);
  });

  it('returns only candidates, whatever the index holds, with callable saying whether its server is up', async () => {
    const rag = fakeRag();
    const index = new RagToolIndex(rag.call, 'hub-tools', 100);
    const secret: Tool = { name: 'sql__execute', description: 'writes rows', inputSchema: { type: 'object' } };
    const everyTool = () => [...candidates, { tool: secret, facts: facts(secret, 'sql'), online: true }];
    const finder = new ToolFinder({ everyTool, index: () => index, logger: createLogger('t', 'silent') });
    const answer = await finder.search('rows', candidates, { k: 5 });
    assert.equal(answer.engine, 'rag');
    assert.ok(rag.held.has('sql__execute'), 'the index holds every tool');
    assert.deepEqual(
      answer.tools.map((t) => [t.name, t.callable]),
      [
        ['sql__query', true],
        ['s3__put_object', false],
      ],
    );
    const bad = await finder.find({ query: '' }, candidates);
    assert.equal(bad.isError, true);
    assert.match(JSON.stringify(bad.content), /INVALID_ARGUMENT: query:/);
  });

  it('falls back to the substring match when the rag search fails, and says why', async () => {
    const failing = new RagToolIndex(async () => ({ isError: true, content: [{ type: 'text', text: 'down' }] }), 'hub-tools', 100);
    const finder = new ToolFinder({ everyTool: () => candidates, index: () => failing, logger: createLogger('t', 'silent') });
    const answer = await finder.search('returns the rows', candidates, { k: 5 });
    assert.equal(answer.engine, 'substring');
    assert.match(answer.note ?? '', /rag search failed/);
    assert.deepEqual(
      answer.tools.map((t) => t.name),
      ['sql__query'],
    );
  });
});
