import { join } from 'node:path';
import { type CallToolResult, Client, type Tool } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createLogger } from '@switchboard/kit';
import { type Candidate, RagToolIndex, substringSearch, ToolFinder, toolDocument } from '../hub/src/discovery/index.ts';
import type { BenchFigure } from './stats.ts';
import { DISCOVERY_CASES } from './tool-discovery-cases.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const K = 5;
/** Each shipped server on its mock backend, as config/switchboard.test.yaml runs them (runsdb: a second sql server). */
const SERVERS: Record<string, string[]> = {
  fs: ['fs', '--mock', '--root', '/srv/work'],
  s3: ['s3', '--mock', '--bucket', 'docs'],
  queue: ['queue', '--mock', '--queue', 'itest.*'],
  kafka: ['kafka', '--mock', '--topic', 'itest.events'],
  redis: ['redis', '--mock', '--prefix', 'app:'],
  mongo: ['mongo', '--mock', '--db', 'app', '--collections', 'notes,users'],
  sql: ['sql', '--mock'],
  runsdb: ['sql', '--mock', '--allow-writes'],
  shell: ['shell', '--mock', '--root', '/srv/work', '--allow', 'git,ls,node'],
  rag: ['rag', '--mock'],
};

/** Slow starts on a busy machine are not failures: connecting may take minutes. */
const PATIENCE = { timeout: 600_000 };

async function connect(args: string[]): Promise<Client> {
  const client = new Client({ name: 'bench-discovery', version: '1' });
  const env = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [cli, 'server', ...args], cwd: root, env, stderr: 'ignore' }),
    PATIENCE,
  );
  return client;
}

/**
 * Quality of hub__find_tools: recall@1 and recall@5 over natural-language requests against the
 * shipped servers' tools (every server on its mock backend, tools named <server>__<tool> as the hub
 * names them), beside a plain name/description substring match over the same tools. The search is
 * the hub's own (ToolFinder → RagToolIndex → the rag server's hybrid search over stdio), fed the tool
 * list an admin would see. The ratio is recall@5 of the rag search over that of the baseline.
 */
export async function run(): Promise<BenchFigure> {
  const clients = new Map<string, Client>();
  try {
    for (const [name, args] of Object.entries(SERVERS)) clients.set(name, await connect(args));
    const candidates: Candidate[] = [];
    for (const [server, client] of clients) {
      for (const tool of (await client.listTools(undefined, PATIENCE)).tools) {
        const named = { ...tool, name: `${server}__${tool.name}` } as Tool;
        candidates.push({ tool: named, facts: { name: named.name, server, tags: [] }, online: true });
      }
    }
    const rag = clients.get('rag') as Client;
    const call = (tool: string, args: Record<string, unknown>) =>
      rag.callTool({ name: tool, arguments: args }, PATIENCE) as Promise<CallToolResult>;
    const index = new RagToolIndex(call, 'hub-tools', 100);
    const finder = new ToolFinder({ everyTool: () => candidates, index: () => index, logger: createLogger('bench', 'silent') });
    // Ablation: the same search over documents that keep the sentences each server repeats in every tool.
    const rawIndex = new RagToolIndex(call, 'hub-tools-raw', 100);
    const raw = new (class extends ToolFinder {
      override documents() {
        return candidates.map((c) => toolDocument(c.tool, c.facts));
      }
    })({ everyTool: () => candidates, index: () => rawIndex, logger: createLogger('bench', 'silent') });
    const rawHits = { at1: 0, at5: 0 };
    // The rag server's single rankings over the same documents, beside its hybrid fusion.
    const single = (['lexical', 'vector'] as const).map((mode) => {
      const modeIndex = new RagToolIndex(call, `hub-tools-${mode}`, 100, mode);
      const modeFinder = new ToolFinder({ everyTool: () => candidates, index: () => modeIndex, logger: createLogger('bench', 'silent') });
      return { mode, hits: { at1: 0, at5: 0 }, finder: modeFinder };
    });
    const tools = candidates.map((c) => c.tool);
    const names = new Set(tools.map((t) => t.name));
    const unknown = DISCOVERY_CASES.flatMap((c) => c.expect).filter((n) => !names.has(n));
    if (unknown.length > 0) throw new Error(`tool-discovery: cases name tools no server offers: ${unknown.join(', ')}`);
    const ragHits = { at1: 0, at5: 0 };
    const base = { at1: 0, at5: 0 };
    const misses: string[] = [];
    await finder.search('warm up: index the catalogue', candidates, { k: K });
    await raw.search('warm up: index the catalogue', candidates, { k: K });
    for (const { finder: f } of single) await f.search('warm up: index the catalogue', candidates, { k: K });
    let searchMs = 0;
    for (const { request, expect } of DISCOVERY_CASES) {
      const started = performance.now();
      const answer = await finder.search(request, candidates, { k: K });
      searchMs += performance.now() - started;
      if (answer.engine !== 'rag') throw new Error(`tool-discovery: the rag search was not used (${answer.note})`);
      const found = answer.tools.map((t) => t.name);
      const plain = substringSearch(request, tools, K).map((t) => t.name);
      const hit = (list: string[], depth: number) => list.slice(0, depth).some((n) => expect.includes(n));
      if (hit(found, 1)) ragHits.at1++;
      else misses.push(`${request} → ${found.slice(0, 3).join(', ')}`);
      if (hit(found, K)) ragHits.at5++;
      const rawFound = (await raw.search(request, candidates, { k: K })).tools.map((t) => t.name);
      if (hit(rawFound, 1)) rawHits.at1++;
      if (hit(rawFound, K)) rawHits.at5++;
      for (const s of single) {
        const names = (await s.finder.search(request, candidates, { k: K })).tools.map((t) => t.name);
        if (hit(names, 1)) s.hits.at1++;
        if (hit(names, K)) s.hits.at5++;
      }
      if (hit(plain, 1)) base.at1++;
      if (hit(plain, K)) base.at5++;
    }
    const n = DISCOVERY_CASES.length;
    if (process.env.BENCH_VERBOSE) for (const miss of misses) process.stderr.write(`tool-discovery miss@1: ${miss}\n`);
    return {
      name: 'tool-discovery',
      ratioOf: 'rag recall@5 / substring recall@5',
      ratio: ragHits.at5 / Math.max(1, base.at5),
      figures: {
        requests: n,
        tools: tools.length,
        ragRecallAt1: ragHits.at1 / n,
        ragRecallAt5: ragHits.at5 / n,
        keepBoilerplateRecallAt1: rawHits.at1 / n,
        keepBoilerplateRecallAt5: rawHits.at5 / n,
        ...Object.fromEntries(
          single.flatMap((s) => [
            [`${s.mode}RecallAt1`, s.hits.at1 / n],
            [`${s.mode}RecallAt5`, s.hits.at5 / n],
          ]),
        ),
        substringRecallAt1: base.at1 / n,
        substringRecallAt5: base.at5 / n,
        meanSearchMs: searchMs / n,
      },
    };
  } finally {
    await Promise.allSettled([...clients.values()].map((c) => c.close()));
  }
}
