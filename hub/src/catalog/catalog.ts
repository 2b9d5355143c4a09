import { EventEmitter } from 'node:events';
import type { Prompt, Resource, ResourceTemplateType, Tool } from '@modelcontextprotocol/client';
import type { UpstreamPool } from '../upstreams/index.ts';
import { namespaceUri, splitNamespacedUri } from './uris.ts';

export interface CatalogEntry {
  /** The name callers see, e.g. `fs__read_file`. */
  name: string;
  upstream: string;
  /** The tool's own name on its upstream. */
  tool: string;
  definition: Tool;
  /** False while its upstream is down: not listed, but a call gets a clear "unavailable" error. */
  online: boolean;
}

export interface PromptEntry {
  name: string;
  upstream: string;
  prompt: string;
  definition: Prompt;
}

export interface CatalogEvents {
  /** What callers can see changed: faces send the matching `notifications/<kind>/list_changed`. */
  changed: [{ tools: boolean; resources: boolean; prompts: boolean }];
}

/**
 * The merged, namespaced catalogue of every upstream: tools and prompts as `<server>__<name>`,
 * resources and templates as `<server>+<uri>`. Rebuilt when an upstream connects, is lost, or says
 * its lists changed; a tool blocked by pinning is left out until re-approved.
 */
export class Catalog extends EventEmitter<CatalogEvents> {
  private entries = new Map<string, CatalogEntry>();
  private promptEntries = new Map<string, PromptEntry>();
  private resourceList: Resource[] = [];
  private templateList: ResourceTemplateType[] = [];
  /** Bumped whenever what callers see changes: a cache key for views derived from the catalogue. */
  version = 0;

  constructor(private readonly pool: UpstreamPool) {
    super();
    pool.on('lists', (_upstream, which) => this.refresh(which));
    pool.on('toolRedefined', () => this.refresh({ tools: true, resources: false, prompts: false }));
    pool.on('toolSuspicious', () => this.refresh({ tools: true, resources: false, prompts: false }));
    pool.on('toolsApproved', () => this.refresh({ tools: true, resources: false, prompts: false }));
  }

  /** Rebuilds from the upstreams' current lists; emits `changed` for what callers would see differently. */
  refresh(which = { tools: true, resources: true, prompts: true }): void {
    const changed = { tools: false, resources: false, prompts: false };
    if (which.tools) changed.tools = this.rebuildTools();
    if (which.resources) changed.resources = this.rebuildResources();
    if (which.prompts) changed.prompts = this.rebuildPrompts();
    if (changed.tools || changed.resources || changed.prompts) {
      this.version++;
      this.emit('changed', changed);
    }
  }

  private rebuildTools(): boolean {
    const before = JSON.stringify(this.list().map((e) => e.definition));
    const next = new Map<string, CatalogEntry>();
    for (const upstream of this.sortedUpstreams()) {
      const online = upstream.state === 'connected';
      for (const tool of sortByName(online ? upstream.tools : upstream.knownTools)) {
        const name = this.pool.names.nameOf('tool', upstream.name, tool.name);
        const visible = online && !this.pool.pinning.isBlocked(name);
        next.set(name, {
          name,
          upstream: upstream.name,
          tool: tool.name,
          definition: withOrigin(tool, name, upstream.name, this.rewritten('tool', name)),
          online: visible,
        });
      }
    }
    this.entries = next;
    return JSON.stringify(this.list().map((e) => e.definition)) !== before;
  }

  private rebuildResources(): boolean {
    const before = JSON.stringify([this.resourceList, this.templateList]);
    this.resourceList = [];
    this.templateList = [];
    for (const upstream of this.pool.upstreams.values()) {
      if (upstream.state !== 'connected') continue;
      for (const resource of upstream.resources) this.resourceList.push({ ...resource, uri: namespaceUri(upstream.name, resource.uri) });
      for (const template of upstream.resourceTemplates)
        this.templateList.push({ ...template, uriTemplate: namespaceUri(upstream.name, template.uriTemplate) });
    }
    return JSON.stringify([this.resourceList, this.templateList]) !== before;
  }

  private rebuildPrompts(): boolean {
    const before = JSON.stringify([...this.promptEntries.keys()]) + JSON.stringify(this.prompts());
    const next = new Map<string, PromptEntry>();
    for (const upstream of this.sortedUpstreams()) {
      if (upstream.state !== 'connected') continue;
      for (const prompt of sortByName(upstream.prompts)) {
        const name = this.pool.names.nameOf('prompt', upstream.name, prompt.name);
        next.set(name, {
          name,
          upstream: upstream.name,
          prompt: prompt.name,
          definition: withOrigin(prompt, name, upstream.name, this.rewritten('prompt', name)),
        });
      }
    }
    this.promptEntries = next;
    return JSON.stringify([...this.promptEntries.keys()]) + JSON.stringify(this.prompts()) !== before;
  }

  private rewritten(kind: 'tool' | 'prompt', name: string): boolean {
    return this.pool.names.resolve(kind, name)?.rewritten === true;
  }

  /** Upstreams by name: names are handed out in one order whatever order they connected in. */
  private sortedUpstreams() {
    return [...this.pool.upstreams.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** The tools callers can see now. */
  list(): CatalogEntry[] {
    return [...this.entries.values()].filter((entry) => entry.online);
  }

  /** A tool by hub name, including those of an upstream that is down (calls then fail with a reason). */
  resolve(name: string): CatalogEntry | undefined {
    return this.entries.get(name);
  }

  resources(): Resource[] {
    return this.resourceList;
  }

  resourceTemplates(): ResourceTemplateType[] {
    return this.templateList;
  }

  prompts(): Prompt[] {
    return [...this.promptEntries.values()].map((entry) => entry.definition);
  }

  resolvePrompt(name: string): PromptEntry | undefined {
    return this.promptEntries.get(name);
  }

  /** Which upstream serves a namespaced resource URI, and its own URI there. */
  resolveUri(uri: string): { upstream: string; uri: string } | undefined {
    const split = splitNamespacedUri(uri);
    return split && this.pool.upstreams.has(split.upstream) ? split : undefined;
  }
}

function sortByName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Meta key naming the upstream and original of a tool or prompt whose hub name had to be rewritten. */
export const ORIGIN_META_KEY = 'switchboard/origin';

/**
 * The definition under its hub name. When that name is not simply `<upstream><separator><name>`
 * (shortened, sanitised, de-collided), `_meta` says where it came from, so a client can show the
 * real name.
 */
function withOrigin<T extends { name: string; _meta?: Record<string, unknown> | undefined }>(
  item: T,
  name: string,
  upstream: string,
  rewritten: boolean,
): T {
  return rewritten ? { ...item, name, _meta: { ...item._meta, [ORIGIN_META_KEY]: { upstream, name: item.name } } } : { ...item, name };
}
