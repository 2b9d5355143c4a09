import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { type Logger, ToolError, toolErrorResult } from '@switchboard/kit';
import { Catalog } from './catalog/index.ts';
import type { LoadedConfig, Role } from './config/index.ts';
import { RoleAgent } from './planner/index.ts';
import { UpstreamPool, type UpstreamStatus } from './upstreams/index.ts';

export interface HubOptions {
  loaded: LoadedConfig;
  roles: Role[];
  logger: Logger;
  /** argv prefix that starts this program, for built-in servers: e.g. [node, /path/bin/switchboard.mjs]. */
  selfCommand: string[];
}

export interface HubCallOptions {
  signal?: AbortSignal;
  correlationId: string;
  /** How many agents deep this call is; bounds agents calling agents. */
  depth?: number;
}

/** Thrown for a tool name the hub does not serve: a protocol error (-32602), not a tool result. */
export class UnknownToolError extends Error {
  override readonly name = 'UnknownToolError';
  constructor(readonly tool: string) {
    super(`unknown tool '${tool}'`);
  }
}

const MAX_AGENT_DEPTH = 4;

/** The orchestrator: upstreams merged into one catalogue, plus one agent tool per role. */
export class Hub {
  readonly pool: UpstreamPool;
  readonly catalog: Catalog;
  readonly agents: Map<string, RoleAgent>;
  readonly name: string;
  private readonly startedAt = Date.now();

  private constructor(
    private readonly options: HubOptions,
    readonly logger: Logger,
  ) {
    const { config, baseDir } = options.loaded;
    this.name = config.hub.name;
    this.pool = new UpstreamPool(config, { selfCommand: options.selfCommand, baseDir, hubName: config.hub.name }, logger);
    this.catalog = new Catalog(this.pool);
    this.agents = new Map(options.roles.map((role) => [`agent__${role.name}`, new RoleAgent(role)]));
  }

  /** Connects every upstream (failures are reported by `/ready`, not fatal) and builds the catalogue. */
  static async start(options: HubOptions): Promise<Hub> {
    const hub = new Hub(options, options.logger);
    await hub.pool.connectAll();
    hub.catalog.refresh();
    return hub;
  }

  get config(): LoadedConfig['config'] {
    return this.options.loaded.config;
  }

  get roles(): Role[] {
    return this.options.roles;
  }

  listTools(): Tool[] {
    return [...this.catalog.list().map((entry) => entry.definition), ...[...this.agents.values()].map((agent) => agent.definition())];
  }

  has(name: string): boolean {
    return this.agents.has(name) || this.catalog.resolve(name) !== undefined;
  }

  /** Calls a tool by its hub name. Domain failures come back as `isError` results; unknown names throw. */
  async callTool(name: string, args: Record<string, unknown>, options: HubCallOptions): Promise<CallToolResult> {
    const started = performance.now();
    const log = this.logger.child({ correlationId: options.correlationId, tool: name });
    let result: CallToolResult;
    try {
      result = await this.dispatch(name, args, options);
    } catch (error) {
      if (error instanceof UnknownToolError) throw error;
      result = toolErrorResult(error);
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    log.info({ outcome: result.isError ? 'error' : 'ok', durationMs, depth: options.depth ?? 0 }, 'tool call');
    return result;
  }

  private async dispatch(name: string, args: Record<string, unknown>, options: HubCallOptions): Promise<CallToolResult> {
    const agent = this.agents.get(name);
    if (agent !== undefined) {
      const depth = options.depth ?? 0;
      if (depth >= MAX_AGENT_DEPTH) {
        return toolErrorResult(new ToolError('LIMIT_EXCEEDED', `agents may nest at most ${MAX_AGENT_DEPTH} deep`));
      }
      const nested = { ...options, depth: depth + 1 };
      return agent.run(args, (tool, toolArgs) => this.callFromAgent(tool, toolArgs, nested), options.signal);
    }
    const entry = this.catalog.resolve(name);
    if (entry === undefined) throw new UnknownToolError(name);
    const upstream = this.pool.get(entry.upstream);
    if (upstream === undefined) throw new UnknownToolError(name);
    return upstream.callTool(entry.tool, args, options);
  }

  /** An agent naming a tool nobody serves is a failed step, not a protocol error. */
  private async callFromAgent(name: string, args: Record<string, unknown>, options: HubCallOptions): Promise<CallToolResult> {
    try {
      return await this.callTool(name, args, options);
    } catch (error) {
      if (error instanceof UnknownToolError)
        return toolErrorResult(new ToolError('NOT_FOUND', `${error.message}; is its upstream connected?`, 'tool'));
      throw error;
    }
  }

  status(): { name: string; uptimeSeconds: number; ready: boolean; upstreams: UpstreamStatus[]; tools: number; roles: string[] } {
    return {
      name: this.name,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      ready: this.pool.ready(),
      upstreams: this.pool.status(),
      tools: this.listTools().length,
      roles: this.options.roles.map((role) => role.name),
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
