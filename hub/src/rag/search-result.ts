import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult, ToolError } from '@switchboard/kit';
import { z } from 'zod';

/** A tool caller: the hub's own `callTool` (under some principal), or an MCP client's. */
export type ToolCaller = (name: string, args: Record<string, unknown>) => Promise<CallToolResult>;

/** The fixed shape of a rag server's `search` answer (structuredContent). */
export const SearchAnswerSchema = z.object({
  results: z.array(
    z.object({
      documentId: z.string(),
      chunkId: z.string(),
      score: z.number(),
      text: z.string(),
      metadata: z.record(z.string(), z.unknown()).default({}),
      start: z.number().optional(),
      end: z.number().optional(),
    }),
  ),
});
export type SearchHit = z.infer<typeof SearchAnswerSchema>['results'][number];

export interface SearchRequest {
  collection: string;
  query: string;
  k?: number;
  mode?: 'hybrid' | 'vector' | 'lexical';
  filter?: Record<string, unknown>;
}

/**
 * Calls `<server>__search` and reads its answer. A failed call keeps the server's error code (NOT_FOUND
 * for an unknown collection, ACL_DENIED, …); an answer of the wrong shape is UPSTREAM_UNAVAILABLE.
 */
export async function searchCollection(callTool: ToolCaller, tool: string, request: SearchRequest): Promise<SearchHit[]> {
  const args = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  const result = await callTool(tool, args);
  if (result.isError) {
    const error = errorOfResult(result);
    const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join(' ');
    throw new ToolError(error?.code ?? 'UPSTREAM_UNAVAILABLE', `${tool} failed: ${error?.message ?? text}`, error?.field);
  }
  const parsed = SearchAnswerSchema.safeParse(result.structuredContent);
  if (!parsed.success)
    throw new ToolError('UPSTREAM_UNAVAILABLE', `${tool} answered without structuredContent.results; is it a Switchboard rag server?`);
  return parsed.data.results;
}
