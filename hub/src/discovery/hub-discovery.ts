import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import type { Logger } from '@switchboard/kit';
import type { Catalog } from '../catalog/index.ts';
import type { DiscoveryConfig } from '../config/index.ts';
import type { Policy, Principal } from '../policy/index.ts';
import type { UpstreamPool } from '../upstreams/index.ts';
import {
  CALL_TOOL,
  CallToolInput,
  callToolDefinition,
  FIND_TOOLS,
  findToolsDefinition,
  invalidArgument,
  invalidInput,
} from './discovery-tools.ts';
import { RagToolIndex } from './rag-tool-index.ts';
import { type FactsSource, toolFacts } from './tool-facts.ts';
import { type Candidate, ToolFinder } from './tool-finder.ts';

/** What discovery needs of the hub. */
export interface DiscoveryHost extends FactsSource {
  catalog: Catalog;
  pool: UpstreamPool;
  policy: Policy;
  config: DiscoveryConfig;
  logger: Logger;
  /** The tools the hub serves now, or those a principal's role may call (descriptions carrying its argument rules). */
  listTools(principal?: Principal): Tool[];
}

/** Narrows candidates to what a caller's profile admits (the faces build it from the caller's view). */
export type ToolAdmits = (tool: Tool) => boolean;

/**
 * hub__find_tools and hub__call_tool for every face and for role agents: the catalogue indexed in the
 * rag upstream, searched for a caller among exactly the tools it may call.
 */
export class HubDiscovery {
  readonly finder: ToolFinder;
  private index: { upstream: unknown; index: RagToolIndex } | undefined;

  constructor(private readonly host: DiscoveryHost) {
    this.finder = new ToolFinder({ everyTool: () => this.everyTool(), index: () => this.ragIndex(), logger: host.logger });
  }

  static readonly definitions: readonly Tool[] = [findToolsDefinition, callToolDefinition];

  /** Answers a hub__find_tools call, or a hub__call_tool call whose arguments are not a call (the field at fault). */
  dispatch(name: string, args: Record<string, unknown>, principal: Principal, admits?: ToolAdmits): Promise<CallToolResult> | undefined {
    if (name === FIND_TOOLS) return this.finder.find(args, this.candidates(principal, admits));
    if (name !== CALL_TOOL) return undefined;
    const parsed = CallToolInput.safeParse(args);
    if (!parsed.success) return Promise.resolve(invalidInput(parsed.error));
    return Promise.resolve(invalidArgument('name', `${CALL_TOOL} cannot call itself; name the tool to call`));
  }

  /** The tools `principal` may call through `admits`: online ones as its tools/list has them, then known ones of upstreams that are down. */
  candidates(principal: Principal, admits?: ToolAdmits): Candidate[] {
    const online = this.host
      .listTools(principal)
      .filter((tool) => !isDiscoveryTool(tool.name) && (admits === undefined || admits(tool)))
      .map((tool) => ({ tool, facts: toolFacts(this.host, tool), online: true }));
    const offline = this.offlineTools().filter(
      (tool) => this.host.policy.canSee(principal, tool.name) && (admits === undefined || admits(tool)),
    );
    return [...online, ...offline.map((tool) => ({ tool, facts: toolFacts(this.host, tool), online: false }))];
  }

  private everyTool(): Candidate[] {
    const online = this.host.listTools().filter((tool) => !isDiscoveryTool(tool.name));
    return [...online, ...this.offlineTools()].map((tool) => ({ tool, facts: toolFacts(this.host, tool), online: true }));
  }

  /** Known tools of upstreams that are down (the catalogue keeps them so a call can say why it fails). */
  private offlineTools(): Tool[] {
    const tools: Tool[] = [];
    for (const upstream of this.host.pool.upstreams.values()) {
      if (upstream.state === 'connected') continue;
      for (const known of upstream.knownTools) {
        const entry = this.host.catalog.resolve(this.host.pool.names.nameOf('tool', upstream.name, known.name));
        if (entry !== undefined && !entry.online) tools.push(entry.definition);
      }
    }
    return tools;
  }

  /** The rag index over the configured upstream while it is connected (rebuilt when it reconnects as a new client). */
  private ragIndex(): RagToolIndex | undefined {
    const upstream = this.host.pool.get(this.host.config.upstream);
    if (upstream === undefined || upstream.state !== 'connected') return undefined;
    if (this.index?.upstream !== upstream) {
      const call = (tool: string, args: Record<string, unknown>) => upstream.callTool(tool, args, { correlationId: 'hub-discovery' });
      this.index = { upstream, index: new RagToolIndex(call, this.host.config.collection, this.host.config.fetchK) };
    }
    return this.index.index;
  }
}

export function isDiscoveryTool(name: string): boolean {
  return name === FIND_TOOLS || name === CALL_TOOL;
}
