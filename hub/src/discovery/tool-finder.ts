import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { Logger } from '@switchboard/kit';
import type { ToolFacts } from '../catalog/index.ts';
import { FindToolsInput, invalidInput } from './discovery-tools.ts';
import type { RagCall, RagToolIndex } from './rag-tool-index.ts';
import { substringSearch } from './substring-search.ts';
import { type ToolDocument, toolDocument, withoutBoilerplate } from './tool-document.ts';

/** A tool the caller may call, and whether it can be called right now. */
export interface Candidate {
  tool: Tool;
  facts: ToolFacts;
  /** False for a known tool of an upstream that is down. */
  online: boolean;
}

export interface ToolMatch {
  name: string;
  server: string;
  tags: string[];
  title?: string;
  description: string;
  inputSchema: Tool['inputSchema'];
  outputSchema?: Tool['outputSchema'];
  /** True: call it now (by name, or through hub__call_tool). False: its upstream is down. */
  callable: boolean;
  score: number;
}

export interface FindAnswer {
  query: string;
  /** `rag`: the rag upstream's hybrid search; `substring`: the fallback while it is not connected. */
  engine: 'rag' | 'substring';
  note?: string;
  tools: ToolMatch[];
}

export interface ToolFinderDeps {
  /** Every tool the hub serves, for the index (the caller's permissions narrow the results, not the index). */
  everyTool: () => Candidate[];
  /** The rag index, or undefined when no rag upstream is connected. */
  index: () => RagToolIndex | undefined;
  logger: Logger;
}

/**
 * hub__find_tools: the caller's candidates (its role's tools, through its profile) searched with the
 * rag upstream's hybrid search. Only candidates are ever returned, whatever the index holds.
 */
export class ToolFinder {
  constructor(private readonly deps: ToolFinderDeps) {}

  async find(args: Record<string, unknown>, candidates: Candidate[]): Promise<CallToolResult> {
    const parsed = FindToolsInput.safeParse(args);
    if (!parsed.success) return invalidInput(parsed.error);
    const answer = await this.search(parsed.data.query, candidates, parsed.data);
    const text = answer.tools.length
      ? answer.tools.map((t, i) => `${i + 1}. ${t.name}${t.callable ? '' : ' (unavailable now)'} — ${firstLine(t.description)}`).join('\n')
      : `no tool you may call matches '${answer.query}'`;
    return { content: [{ type: 'text', text: answer.note ? `${text}\n(${answer.note})` : text }], structuredContent: { ...answer } };
  }

  async search(query: string, all: Candidate[], options: { k: number; server?: string[]; tags?: string[] }): Promise<FindAnswer> {
    const candidates = all.filter(
      (c) =>
        (options.server === undefined || options.server.includes(c.facts.server)) &&
        (options.tags === undefined || options.tags.some((tag) => c.facts.tags.includes(tag))),
    );
    const byName = new Map(candidates.map((c) => [c.tool.name, c]));
    const index = this.deps.index();
    let engine: FindAnswer['engine'] = 'substring';
    let note: string | undefined;
    let ranked: { name: string; score: number }[] | undefined;
    if (index !== undefined) {
      try {
        ranked = await index.search(query, () => this.documents(), {
          k: options.k,
          names: new Set(byName.keys()),
          ...(options.server ? { servers: options.server } : {}),
          ...(options.tags ? { tags: options.tags } : {}),
        });
        engine = 'rag';
      } catch (error) {
        this.deps.logger.warn({ err: (error as Error).message }, 'tool search on the rag upstream failed; using the substring match');
        note = `rag search failed (${(error as Error).message}); these are plain substring matches`;
      }
    } else note = 'no rag upstream connected; these are plain substring matches';
    ranked ??= substringSearch(
      query,
      candidates.map((c) => c.tool),
      options.k,
    );
    const tools = ranked.flatMap(({ name, score }) => {
      const found = byName.get(name);
      return found === undefined ? [] : [match(found, score)];
    });
    return { query, engine, ...(note ? { note } : {}), tools };
  }

  /** What the index holds: every tool, whoever asks, without the sentences its server repeats in every tool. */
  documents(): ToolDocument[] {
    return withoutBoilerplate(this.deps.everyTool().map((c) => toolDocument(c.tool, c.facts)));
  }
}

function match(candidate: Candidate, score: number): ToolMatch {
  const { tool, facts } = candidate;
  return {
    name: tool.name,
    server: facts.server,
    tags: [...facts.tags],
    ...(tool.title ? { title: tool.title } : {}),
    description: tool.description ?? '',
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
    callable: candidate.online,
    score: Math.round(score * 10_000) / 10_000,
  };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

export type { RagCall };
