import type { Tool } from '@modelcontextprotocol/client';
import { AGENT_SERVER, annotationTags, type Catalog, HUB_SERVER, type ToolFacts } from '../catalog/index.ts';

/** What a tool's server and tags are looked up in. */
export interface FactsSource {
  catalog: Pick<Catalog, 'resolve'>;
  /** Configured `tags:` of an upstream. */
  upstreamTags(upstream: string): readonly string[];
  isAgent(name: string): boolean;
}

/** The server and tags profiles and discovery match a tool by: the upstream's tags plus its annotations' hints. */
export function toolFacts(source: FactsSource, tool: Tool): ToolFacts {
  const entry = source.catalog.resolve(tool.name);
  const own = annotationTags(tool.annotations);
  if (entry !== undefined) return { name: tool.name, server: entry.upstream, tags: [...source.upstreamTags(entry.upstream), ...own] };
  const server = source.isAgent(tool.name) ? AGENT_SERVER : HUB_SERVER;
  return { name: tool.name, server, tags: [server, ...own] };
}
