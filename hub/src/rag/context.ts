import { ToolError } from '@switchboard/kit';
import type { RoleContext } from '../config/index.ts';
import { type SearchHit, searchCollection, type ToolCaller } from './search-result.ts';

/** One injected passage; `source` is the id an answer cites, `[documentId#chunk]`. */
export interface ContextPassage {
  source: string;
  documentId: string;
  score: number;
  text: string;
  metadata: Record<string, unknown>;
}

export interface RetrievedContext {
  collection: string;
  query: string;
  passages: ContextPassage[];
}

export function searchToolOf(context: RoleContext): string {
  return `${context.server}__search`;
}

/** Retrieves the passages for a task through the caller (so the hub's policy and audit see the call). */
export async function retrieveContext(callTool: ToolCaller, context: RoleContext, query: string): Promise<RetrievedContext> {
  const hits = await searchCollection(callTool, searchToolOf(context), {
    collection: context.collection,
    query: query.slice(0, 10_000),
    k: context.k,
    mode: context.mode,
    ...(context.filter ? { filter: context.filter } : {}),
  });
  return { collection: context.collection, query, passages: hits.map(toPassage) };
}

function toPassage(hit: SearchHit): ContextPassage {
  return { source: hit.chunkId, documentId: hit.documentId, score: hit.score, text: hit.text, metadata: hit.metadata };
}

/** The passages as text an agent (or a person) reads: each under its source id, then the list of sources. */
export function renderContext(context: RetrievedContext, maxCharsPerPassage = 1200): string {
  if (context.passages.length === 0) return `No passages in '${context.collection}' match this task.`;
  const body = context.passages.map((p) => `[${p.source}] ${clip(p.text.trim(), maxCharsPerPassage)}`).join('\n\n');
  return `From ${context.collection} (${context.passages.length} passage${context.passages.length === 1 ? '' : 's'}):\n${body}\n\nSources: ${sourcesOf(context)}`;
}

export function sourcesOf(context: RetrievedContext): string {
  return context.passages.map((p) => `[${p.source}]`).join(', ');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Normalises anything retrieval throws into a ToolError whose message says it was the context step. */
export function contextError(error: unknown, context: RoleContext): ToolError {
  if (error instanceof ToolError)
    return new ToolError(error.code, `retrieving context from '${context.collection}': ${error.message}`, error.field);
  return new ToolError('UPSTREAM_UNAVAILABLE', `retrieving context from '${context.collection}': ${(error as Error).message}`);
}
