import type { Tool } from '@modelcontextprotocol/client';

const WORD = /[a-z0-9]{3,}/g;

/**
 * The plain baseline: a tool scores one point for each word of the query (3+ letters) found as a
 * substring of its name or description, ties broken by name. It is what `hub__find_tools` falls back
 * to when the rag upstream is not connected, and what bench/tool-discovery compares the rag search with.
 */
export function substringSearch(query: string, tools: readonly Tool[], k: number): { name: string; score: number }[] {
  const terms = [...new Set(query.toLowerCase().match(WORD) ?? [])];
  return tools
    .map((tool) => {
      const haystack = `${tool.name} ${tool.description ?? ''}`.toLowerCase();
      return { name: tool.name, score: terms.filter((term) => haystack.includes(term)).length };
    })
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, k);
}
