import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { type Logger, ToolError, toolErrorResult } from '@switchboard/kit';
import { Authenticator } from './auth/index.ts';
import { Catalog, loadProfiles, nameRegistryOf } from './catalog/index.ts';
import { type LoadedConfig, loadPlans, type PlanTemplate, type Role, RoleRegistry, type RoleSet } from './config/index.ts';
import { HubDiscovery, type ToolAdmits, unwrapCall } from './discovery/index.ts';
import { type ModelFactory, type ModelProvider, modelProvider, RoleAgent } from './planner/index.ts';
import { PlannerService, type PlannerTool, plannerTools } from './planner/run/index.ts';
import {
  type AuditStore,
  agentPrincipal,
  CallGate,
  type Clock,
  openAuditStore,
  Policy,
  type Principal,
  QuotaLimiter,
  systemClock,
  type ToolFlag,
  toolFlagRecord,
} from './policy/index.ts';
import { TaskService } from './scheduler/task-service.ts';
import { Telemetry } from './telemetry/index.ts';
import { type CallOptions, pinFileOf, protectedPaths, UpstreamPool, type UpstreamStatus } from './upstreams/index.ts';

export interface HubOptions {
  loaded: LoadedConfig;
  roles: Role[];
  logger: Logger;
  /** argv prefix that starts this program, for built-in servers: e.g. [node, /path/bin/switchboard.mjs]. */
  selfCommand: string[];
  /** Overrides the configured audit store (tests). */
  audit?: AuditStore;
  /** Time for quotas and audit timestamps (tests inject a fake). */
  clock?: Clock;
  /** Plan templates; default: `plans/` in the roles directory. */
  plans?: PlanTemplate[];
  /** LLM mode: builds chat models from specs (tests inject scripted fakes). */
  modelFactory?: ModelFactory;
  /** Overrides `hub.startupWaitMs`: one-shot commands (`switchboard tools`, `run`) wait for every upstream. */
  startupWaitMs?: number;
}

/** `CallOptions` carries the signal, timeout, progress, caller channel and trace context on to the upstream. */
export interface HubCallOptions extends CallOptions {
  correlationId: string;
  /** Who is calling; the faces resolve it (stdio: the local user, HTTP: the token). Policy, quotas and audit key on it. */
  principal: Principal;
  /** How many agents deep this call is; bounds agents calling agents. */
  depth?: number;
  /** Set by the scheduler when it executes a task (a planner run continues its own thread). */
  taskId?: string;
  /** The caller's profile view, so hub__find_tools returns only what it could call through it. */
  admits?: ToolAdmits;
}

/** One finished tool call, for live displays (`switchboard run`). */
export interface ToolCallEvent {
  tool: string;
  principal: string;
  outcome: 'ok' | 'error';
  durationMs: number;
  correlationId: string;
  depth: number;
}

/** Thrown for a tool name the hub does not serve: a protocol error (-32602), not a tool result. */
export class UnknownToolError extends Error {
  override readonly name = 'UnknownToolError';
  readonly code = 'NOT_FOUND';
  constructor(readonly tool: string) {
    super(`unknown tool '${tool}'`);
  }
}

const MAX_AGENT_DEPTH = 4;
/** How long startup waits for upstreams by default (`hub.startupWaitMs`). */
const DEFAULT_STARTUP_WAIT_MS = 10_000;

/** The orchestrator: upstreams merged into one catalogue, plus one agent tool per role. */
export class Hub {
  readonly pool: UpstreamPool;
  readonly catalog: Catalog;
  readonly agents: Map<string, RoleAgent>;
  /** Planner runs: hub__run_task and friends, the run graph and its checkpoints. */
  planner!: PlannerService;
  private plannerTools: PlannerTool[] = [];
  private registry: RoleRegistry | undefined;
  private readonly models: ModelProvider;
  private roleSet: RoleSet;
  private readonly callListeners = new Set<(call: ToolCallEvent) => void>();
  readonly name: string;
  /** Metrics (`/metrics`) and traces; the scheduler sets its queue depth here. */
  readonly telemetry: Telemetry;
  /** Roles → allowed tools and argument rules, for every caller. */
  readonly policy: Policy;
  /** The local user: stdio callers, the CLI, and HTTP callers when `auth: none`. */
  readonly localPrincipal: Principal;
  readonly authenticator: Authenticator;
  /** Named views of the catalogue (`profiles:`), served at `/mcp/<profile>` and `serve --stdio --profile`. */
  readonly profiles: ReturnType<typeof loadProfiles>;
  /** hub__find_tools and hub__call_tool: the catalogue searched through the rag upstream. */
  readonly discovery: HubDiscovery;
  /** Durable tasks: the scheduler, its store, and the hub__ task tools (workers start with `tasks.start()`). */
  tasks!: TaskService;
  private gate!: CallGate;
  private audit!: AuditStore;
  private readonly startedAt = Date.now();
  /** Top-level calls running now (faces and task attempts), and who waits for that to reach 0. */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private draining = false;

  private constructor(
    private readonly options: HubOptions,
    readonly logger: Logger,
  ) {
    const { config, baseDir } = options.loaded;
    this.name = config.hub.name;
    this.telemetry = Telemetry.fromConfig(config.telemetry);
    this.pool = new UpstreamPool(
      config,
      { selfCommand: options.selfCommand, baseDir, hubName: config.hub.name, protect: protectedPaths(options.loaded) },
      logger,
      {
        telemetry: this.telemetry,
        pinTools: config.hub.pinTools ?? false,
        pinFile: pinFileOf(baseDir, config.hub),
        names: nameRegistryOf(config.names, baseDir, config.hub.dataDir, (err) => logger.warn({ err }, 'cannot keep tool names file')),
      },
    );
    this.catalog = new Catalog(this.pool);
    this.profiles = loadProfiles(config.profiles, Object.keys(config.upstreams), options.loaded.source);
    this.models = modelProvider({
      mode: config.planner.mode,
      ...(config.planner.model ? { model: config.planner.model } : {}),
      ...(options.modelFactory ? { factory: options.modelFactory } : {}),
    });
    this.roleSet = { roles: options.roles, plans: options.plans ?? loadPlans(options.loaded.rolesDir) };
    this.agents = new Map(options.roles.map((role) => [`agent__${role.name}`, new RoleAgent(role, { models: this.models })]));
    this.policy = Policy.fromConfig(config, options.roles, options.loaded.source);
    this.discovery = new HubDiscovery({
      catalog: this.catalog,
      pool: this.pool,
      policy: this.policy,
      config: config.discovery,
      logger,
      listTools: (principal) => this.listTools(principal),
      upstreamTags: (upstream) => config.upstreams[upstream]?.tags ?? [],
      isAgent: (name) => this.agents.has(name),
    });
    const local = config.principals.local;
    this.localPrincipal = { id: `local:${local.name ?? osUser()}`, role: local.role, kind: 'local' };
    this.authenticator = new Authenticator({
      auth: config.auth,
      policy: this.policy,
      localPrincipal: this.localPrincipal,
      baseDir,
      source: options.loaded.source,
      logger,
    });
  }

  /** Connects every upstream (failures are reported by `/ready`, not fatal) and builds the catalogue. */
  static async start(options: HubOptions): Promise<Hub> {
    const hub = new Hub(options, options.logger);
    const { config, baseDir } = options.loaded;
    hub.audit = options.audit ?? (await openAuditStore(config.audit, baseDir, config.hub.dataDir));
    const clock = options.clock ?? systemClock;
    hub.gate = new CallGate({
      policy: hub.policy,
      quotas: new QuotaLimiter(config.quotas, clock),
      audit: hub.audit,
      clock,
      logger: options.logger,
    });
    // Tool definitions the pinning flags (poisoned, redefined) go to the audit log beside the calls.
    const flag = (f: ToolFlag) =>
      void hub.audit
        .record(...toolFlagRecord(f, hub.gate.instance, clock.now()))
        .catch((err: Error) => options.logger.warn({ err }, 'could not audit a flagged tool'));
    hub.pool.on('toolSuspicious', (f) => flag({ kind: 'suspicious', ...f }));
    hub.pool.on('toolRedefined', (r) =>
      flag({ kind: 'redefined', tool: r.tool, upstream: r.upstream, fingerprint: r.current, reasons: [], blocked: r.blocked }),
    );
    hub.tasks = await TaskService.open(config.tasks, resolve(baseDir, config.hub.dataDir), hub, options.logger);
    hub.tasks.scheduler.watchAll((event) => hub.telemetry.metrics.countTaskEvent(event.state));
    hub.planner = await PlannerService.open(
      config.planner,
      resolve(baseDir, config.hub.dataDir),
      {
        callTool: (name, args, call) => hub.callTool(name, args, call),
        scheduler: hub.tasks.scheduler,
        roles: () => hub.roles,
        plans: () => hub.roleSet.plans,
        models: hub.models,
      },
      options.logger,
    );
    hub.plannerTools = plannerTools(hub.planner);
    hub.watchRoles();
    // Bounded: a hung or slow upstream joins the catalogue later instead of holding back serving.
    await hub.pool.connectAll(options.startupWaitMs ?? config.hub.startupWaitMs ?? DEFAULT_STARTUP_WAIT_MS);
    hub.catalog.refresh();
    return hub;
  }

  get config(): LoadedConfig['config'] {
    return this.options.loaded.config;
  }

  /** The config file this hub runs on, for errors that name it. */
  get configSource(): string {
    return this.options.loaded.source;
  }

  get roles(): Role[] {
    return this.roleSet.roles;
  }

  get plans(): PlanTemplate[] {
    return this.roleSet.plans;
  }

  /** Calls `listener` after every tool call this hub makes (any caller); returns the unsubscribe. */
  onToolCall(listener: (call: ToolCallEvent) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Scheduler targets among the hub's own tools: a planner run is a task like any other. */
  isTaskTarget(name: string): boolean {
    return this.plannerTools.some((tool) => tool.definition.name === name && name === 'hub__run_task');
  }

  /**
   * Roles and plans hot-reload (planner.watchRoles): a changed file takes effect for the next call;
   * a broken one keeps its previous version (the registry logs why).
   */
  private watchRoles(): void {
    const dir = this.options.loaded.rolesDir;
    if (dir === undefined || !this.config.planner.watchRoles) return;
    this.registry = new RoleRegistry(dir, this.logger, this.roleSet);
    this.registry.watch((set) => this.applyRoles(set));
  }

  /** Swaps in a new set of roles and plans: agents are rebuilt, the policy follows. */
  applyRoles(set: RoleSet): void {
    try {
      this.policy.replaceRoles(Policy.fromConfig(this.config, set.roles, this.options.loaded.source));
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'reloaded roles conflict with the config; keeping the previous roles');
      return;
    }
    this.roleSet = set;
    this.agents.clear();
    for (const role of set.roles) this.agents.set(`agent__${role.name}`, new RoleAgent(role, { models: this.models }));
  }

  /**
   * Every tool, or with a principal only those its role may call (argument rules appended to
   * descriptions). Sorted by name (code points), so the order is the same across restarts and
   * reconnects whatever order upstreams connected in.
   */
  listTools(principal?: Principal): Tool[] {
    const all = [
      ...this.catalog.list().map((entry) => entry.definition),
      ...[...this.agents.values()].map((agent) => agent.definition()),
      ...(this.tasks?.tools.map((tool) => tool.definition) ?? []),
      ...this.plannerTools.map((tool) => tool.definition),
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (principal === undefined) return all;
    return all
      .filter((tool) => this.policy.canSee(principal, tool.name))
      .map((tool) => {
        const scope = this.policy.describeScope(principal, tool.name);
        return scope === undefined ? tool : { ...tool, description: `${tool.description ?? ''}\n\n${scope}`.trim() };
      });
  }

  /** The audit log this hub writes (`switchboard audit` reads it). */
  get auditStore(): AuditStore {
    return this.audit;
  }

  has(name: string): boolean {
    return this.agents.has(name) || this.catalog.resolve(name) !== undefined || this.plannerTools.some((t) => t.definition.name === name);
  }

  /**
   * Calls a tool by its hub name as `options.principal`: policy → quota → audit → upstream (see
   * policy/gate.ts). Domain failures and refusals come back as `isError` results; unknown names throw.
   */
  async callTool(name: string, args: Record<string, unknown>, options: HubCallOptions): Promise<CallToolResult> {
    // hub__call_tool is the call it wraps, through the very same gate (policy, quota, audit) as a direct one.
    const wrapped = this.policy.canSee(options.principal, 'hub__call_tool') ? unwrapCall(name, args) : undefined;
    if (wrapped !== undefined) return this.callTool(wrapped.name, wrapped.args, options);
    const started = performance.now();
    const topLevel = (options.depth ?? 0) === 0;
    if (topLevel) this.inFlight++;
    let result: CallToolResult;
    try {
      const call = { principal: options.principal, tool: name, args, correlationId: options.correlationId, depth: options.depth ?? 0 };
      result = await this.gate.run(call, () => this.dispatch(name, args, options));
    } catch (error) {
      if (error instanceof UnknownToolError) throw error;
      result = toolErrorResult(error);
    } finally {
      if (topLevel) this.callEnded();
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    // One line per call, fields inline: a child logger per call cost more than the line itself.
    this.logger.info(
      {
        correlationId: options.correlationId,
        tool: name,
        outcome: result.isError ? 'error' : 'ok',
        durationMs,
        depth: options.depth ?? 0,
        principal: options.principal.id,
      },
      'tool call',
    );
    for (const listener of this.callListeners)
      listener({
        tool: name,
        principal: options.principal.id,
        outcome: result.isError ? 'error' : 'ok',
        durationMs,
        correlationId: options.correlationId,
        depth: options.depth ?? 0,
      });
    return result;
  }

  private async dispatch(name: string, args: Record<string, unknown>, options: HubCallOptions): Promise<CallToolResult> {
    // A call arriving during shutdown fails fast (and is audited) so its caller retries elsewhere; the
    // nested calls of an agent already running go on.
    if (this.draining && (options.depth ?? 0) === 0)
      return toolErrorResult(
        new ToolError('UPSTREAM_UNAVAILABLE', `hub '${this.name}' is shutting down; retry on another replica or once it is back`),
      );
    const run = this.plannerTools.find((tool) => tool.definition.name === name);
    if (run !== undefined)
      return run.call(args, {
        principal: options.principal,
        correlationId: options.correlationId,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.taskId ? { taskId: options.taskId } : {}),
      });
    const own = this.tasks?.tool(name);
    if (own !== undefined)
      return own.call(args, { principal: options.principal, correlationId: options.correlationId, signal: options.signal });
    const agent = this.agents.get(name);
    if (agent !== undefined) {
      const depth = options.depth ?? 0;
      if (depth >= MAX_AGENT_DEPTH) {
        return toolErrorResult(new ToolError('LIMIT_EXCEEDED', `agents may nest at most ${MAX_AGENT_DEPTH} deep`));
      }
      // The agent's own calls run under its role, not its caller's: the role's policy bounds them.
      const nested = { ...options, depth: depth + 1, principal: agentPrincipal(agent.role.name, options.principal) };
      return agent.run(args, (tool, toolArgs) => this.callFromAgent(tool, toolArgs, nested), options.signal, {
        principal: options.principal,
        approvals: this.planner?.isApproved,
        listTools: () => this.agentTools(nested.principal),
      });
    }
    const discovered = this.discovery.dispatch(name, args, options.principal, options.admits);
    if (discovered !== undefined) return discovered;
    let entry = this.catalog.resolve(name);
    // Served before every upstream was up: a tool of one still starting may be named already.
    if (entry === undefined && (await this.pool.untilStarted(options.timeoutMs ?? DEFAULT_STARTUP_WAIT_MS)))
      entry = this.catalog.resolve(name);
    if (entry === undefined) throw new UnknownToolError(name);
    const upstream = this.pool.get(entry.upstream);
    if (upstream === undefined) throw new UnknownToolError(name);
    return upstream.callTool(entry.tool, args, options);
  }

  /**
   * The tools an LLM role agent is given: its own, or, past `planner.discoveryThreshold` of them,
   * hub__find_tools and hub__call_tool instead of every schema.
   */
  private agentTools(principal: Principal): Tool[] {
    const own = this.listTools(principal).filter((tool) => !tool.name.startsWith('hub__'));
    return own.length > this.config.planner.discoveryThreshold ? [...HubDiscovery.definitions] : own;
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
      ready: this.pool.ready() && !this.draining,
      upstreams: this.pool.status(),
      tools: this.listTools().length,
      roles: this.roles.map((role) => role.name),
    };
  }

  /** Top-level calls running now. */
  get callsInFlight(): number {
    return this.inFlight;
  }

  /**
   * Graceful shutdown, before close(): `/ready` turns 503, new calls are refused, no task is claimed,
   * and calls in flight get up to `graceMs` to finish. close() then aborts what is left and hands the
   * interrupted tasks back to the queue. Resolves with how many calls were still running.
   */
  async drain(graceMs: number): Promise<{ drained: boolean; inFlight: number }> {
    this.draining = true;
    await this.tasks?.stopClaiming();
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    return { drained: this.inFlight === 0, inFlight: this.inFlight };
  }

  private callEnded(): void {
    this.inFlight--;
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  async close(): Promise<void> {
    this.registry?.close();
    await this.tasks?.close();
    await this.planner?.close();
    await this.pool.close();
    await this.audit?.close();
    await this.telemetry.close();
  }
}

/** The OS user name, for the local principal's id; containers may have no passwd entry. */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'user';
  }
}
