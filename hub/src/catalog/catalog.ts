import type { Tool } from '@modelcontextprotocol/client';
import type { UpstreamPool } from '../upstreams/index.ts';
import { namespacedName } from './names.ts';

export interface CatalogEntry {
  /** The name callers see, e.g. `fs__read_file`. */
  name: string;
  upstream: string;
  /** The tool's own name on its upstream. */
  tool: string;
  definition: Tool;
}

/** The merged, namespaced tool catalogue of every connected upstream. */
export class Catalog {
  private entries = new Map<string, CatalogEntry>();

  constructor(private readonly pool: UpstreamPool) {}

  /** Rebuilds the catalogue from the upstreams' current tool lists. */
  refresh(): void {
    const next = new Map<string, CatalogEntry>();
    for (const upstream of this.pool.upstreams.values()) {
      if (upstream.state !== 'connected') continue;
      for (const tool of upstream.tools) {
        const name = namespacedName(upstream.name, tool.name);
        next.set(name, { name, upstream: upstream.name, tool: tool.name, definition: { ...tool, name } });
      }
    }
    this.entries = next;
  }

  list(): CatalogEntry[] {
    return [...this.entries.values()];
  }

  resolve(name: string): CatalogEntry | undefined {
    return this.entries.get(name);
  }
}
