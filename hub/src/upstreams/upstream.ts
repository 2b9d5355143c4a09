import { EventEmitter } from 'node:events';
import type {
  CallToolResult,
  Client,
  LoggingLevel,
  LoggingMessageNotificationParams,
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  ServerCapabilities,
  Tool,
} from '@modelcontextprotocol/client';
import type { Logger } from '@switchboard/kit';
import { namespaceResultUris } from '../catalog/rewrite.ts';
import type { UpstreamSpec } from '../config/index.ts';
import { CircuitBreaker } from './breaker.ts';
import { type CallOptions, InFlightCalls } from './caller.ts';
import { childPidOf, untilGone } from './child-exit.ts';
import { eraOf, openTransport } from './connect.ts';
import { UpstreamCredentials } from './credentials.ts';
import { type ConnectPlan, connectPlans, type EraVerdict, ListenStream, refreshDiscovery, refusedHandshake, verdictOf } from './era.ts';
import { forwardRequest, forwardToolCall } from './forward.ts';
import { ProgressRouter } from './progress.ts';
import { ReconnectSchedule } from './reconnect.ts';
import { type Resilience, resilienceOf } from './resilience.ts';
import { createUpstreamClient } from './upstream-client.ts';
import type { ListsChanged, UpstreamEvents, UpstreamOptions, UpstreamState, UpstreamStatus } from './upstream-types.ts';

export type { ListsChanged, UpstreamEvents, UpstreamOptions, UpstreamState, UpstreamStatus } from './upstream-types.ts';

const ALL: ListsChanged = { tools: true, resources: true, prompts: true };
/** Floor for the `initialize` handshake, spawn included. */
const CONNECT_TIMEOUT_MS = 60_000;
/** The hub re-reads a list only when it must (connect, `list_changed`): an upstream's `ttlMs` must not serve it a stale copy. */
const FRESH = { cacheMode: 'refresh' } as const;

/**
 * One upstream MCP server as the hub sees it. It connects, lists, and keeps itself connected: a lost
 * connection (a crashed stdio server, an HTTP server gone away, a failed health ping) empties its
 * lists — its tools leave the catalogue — and it reconnects with backoff until it is back.
 */
export class Upstream extends EventEmitter<UpstreamEvents> {
  state: UpstreamState = 'connecting';
  tools: Tool[] = [];
  /** The last tool list seen, kept while the upstream is down so calls get a clear error. */
  knownTools: Tool[] = [];
  resources: Resource[] = [];
  resourceTemplates: ResourceTemplate[] = [];
  prompts: Prompt[] = [];
  capabilities: ServerCapabilities | undefined;
  /** What the server tells a model about itself; re-read at every (re)connect. */
  instructions: string | undefined;
  /** The protocol era of the live connection: `legacy` (2025, initialize) or `modern` (2026-07-28). */
  era: 'legacy' | 'modern' | undefined;
  lastError: string | undefined;
  restarts = 0;
  readonly breaker: CircuitBreaker;
  readonly resilience: Resilience;
  readonly inFlight = new InFlightCalls();
  private readonly progress = new ProgressRouter();
  readonly logger: Logger;
  private client: Client | undefined;
  /** The client of a connect attempt still under way: close() must stop it too, or a server that
   * never answers its handshake would outlive the hub. */
  private connecting: Client | undefined;
  private generation = 0;
  private readonly schedule: ReconnectSchedule;
  private healthTimer: NodeJS.Timeout | undefined;
  private logLevel: LoggingLevel | undefined;
  private relistTimer: NodeJS.Timeout | undefined;
  private pendingRelist: ListsChanged = { tools: false, resources: false, prompts: false };
  private readonly now: () => number;
  /** What an `era: auto` probe found, so reconnects skip the probe. */
  private verdict: EraVerdict | undefined;
  /** Modern era: the stream list changes and resource updates arrive on. */
  private listen: ListenStream | undefined;
  /** Upstream resource URIs callers watch; re-subscribed after a reconnect. */
  private readonly watched = new Set<string>();
  /** The hub's own credentials for an HTTP upstream. */
  readonly credentials: UpstreamCredentials | undefined;

  constructor(
    readonly name: string,
    readonly spec: UpstreamSpec,
    private readonly options: UpstreamOptions,
  ) {
    super();
    this.resilience = resilienceOf(spec as Parameters<typeof resilienceOf>[0]);
    this.now = options.now ?? Date.now;
    this.logger = options.logger.child({ upstream: name });
    this.breaker = new CircuitBreaker({ ...this.resilience.breaker, now: this.now });
    this.schedule = new ReconnectSchedule(this.resilience.restart, this.now, options.random);
    this.credentials = 'url' in spec ? new UpstreamCredentials(spec, options.connect.baseDir) : undefined;
    this.breaker.onChange((state) => {
      options.telemetry.metrics.setBreakerState(name, state);
      this.logger.warn({ breaker: state }, `circuit ${state}`);
    });
    options.telemetry.metrics.setBreakerState(name, 'closed');
    options.telemetry.metrics.setUpstreamUp(name, false);
  }

  get transport(): 'stdio' | 'http' {
    return 'url' in this.spec ? 'http' : 'stdio';
  }

  get pinTools(): boolean {
    return this.resilience.pinTools ?? this.options.pinTools;
  }

  /** First connection. On failure it keeps retrying in the background, and rethrows for the log. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      if (this.state === 'closed') throw error;
      this.lastError = (error as Error).message;
      // Never connected: `failed`, with the next attempt in status(); a lost connection is `reconnecting`.
      this.setState('failed');
      this.scheduleReconnect();
      throw error;
    }
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const plans = connectPlans(eraOf(this.spec), this.verdict);
    for (const [i, plan] of plans.entries()) {
      try {
        await this.connectWith(generation, plan);
        break;
      } catch (error) {
        // A remembered verdict that no longer holds (the server was swapped): probe afresh next time.
        if (plan.prior !== undefined) this.verdict = undefined;
        if (i === plans.length - 1 || generation !== this.generation || !(plan.prior !== undefined || refusedHandshake(error))) throw error;
        this.logger.info({ err: error }, 'upstream refused the 2025 handshake; speaking 2026-07-28 to it');
      }
    }
    this.schedule.connected();
    this.lastError = undefined;
    this.breaker.reset();
    this.options.telemetry.metrics.setUpstreamUp(this.name, true);
    this.startHealthChecks(generation);
    this.setState('connected');
    this.emit('lists', ALL);
  }

  /** One connect attempt in one era; on success the client is live and every list read. */
  private async connectWith(generation: number, plan: ConnectPlan): Promise<void> {
    const client = createUpstreamClient(
      this.options.connect.hubName,
      {
        listChanged: (kind) => this.relistSoon(kind),
        log: (params) => this.onLog(params),
        progress: (params) => this.progress.dispatch(params),
        resourceUpdated: (uri) => this.emit('resourceUpdated', uri),
        inFlight: this.inFlight,
      },
      plan.versionNegotiation,
    );
    client.onclose = () => this.lost(generation, 'the connection closed (server exited?)');
    // Starting a server (spawn, module loading) can take far longer than answering a call.
    const timeout = Math.max(this.resilience.timeoutMs, CONNECT_TIMEOUT_MS);
    this.connecting = client;
    try {
      await client.connect(openTransport(this.spec, this.options.connect, this.credentials), {
        timeout,
        ...(plan.prior ? { prior: plan.prior } : {}),
      });
      if (generation !== this.generation || this.state === 'closed') throw new Error('superseded');
      this.client = client;
      this.era = client.getProtocolEra();
      // Everything the server says about itself is read again: a restarted server may have changed.
      const discovered = await refreshDiscovery(client, plan.prior !== undefined, timeout);
      this.capabilities = discovered.capabilities;
      this.instructions = discovered.instructions;
      if (eraOf(this.spec) === 'auto') this.verdict = verdictOf(client);
      await this.refreshLists(ALL, false);
      await this.restoreSubscriptions(client, generation);
    } catch (error) {
      this.client = undefined;
      client.onclose = undefined;
      await this.listen?.close();
      this.listen = undefined;
      await client.close().catch(() => {});
      throw error;
    } finally {
      if (this.connecting === client) this.connecting = undefined;
    }
  }

  /** After a (re)connect: the log level callers asked for, and the resources they watch. */
  private async restoreSubscriptions(client: Client, generation: number): Promise<void> {
    if (this.era === 'modern') {
      this.listen = new ListenStream(
        client,
        this.capabilities ?? {},
        () => [...this.watched],
        (reason) => this.lost(generation, reason),
      );
      await this.listen.reopen();
      return;
    }
    if (this.logLevel && this.capabilities?.logging) await client.setLoggingLevel(this.logLevel).catch(() => {});
    if (this.capabilities?.resources?.subscribe !== true) return;
    for (const uri of this.watched) {
      await client
        .subscribeResource({ uri })
        .catch((error: Error) => this.logger.warn({ uri, err: error }, 'could not re-subscribe a resource'));
    }
  }

  /** Re-reads a list shortly after `list_changed` (servers often send several in a row). */
  private relistSoon(kind: keyof ListsChanged): void {
    this.pendingRelist[kind] = true;
    if (this.relistTimer !== undefined) return;
    this.relistTimer = setTimeout(() => {
      this.relistTimer = undefined;
      const which = this.pendingRelist;
      this.pendingRelist = { tools: false, resources: false, prompts: false };
      this.refreshLists(which, true).catch((error) => this.logger.warn({ err: error }, 'could not re-read lists after list_changed'));
    }, 50);
    this.relistTimer.unref();
  }

  /** Re-reads the lists named in `which` (all pages) and reviews tool definitions against their pins. */
  private async refreshLists(which: ListsChanged, emit: boolean): Promise<void> {
    const client = this.client;
    const caps = this.capabilities ?? {};
    if (client === undefined) return;
    if (which.tools) {
      this.tools = caps.tools ? (await client.listTools(undefined, FRESH)).tools : [];
      this.knownTools = this.tools;
      const entries = this.tools.map((definition) => ({ name: this.options.names.nameOf('tool', this.name, definition.name), definition }));
      this.options.pinning.review(this.name, entries, this.pinTools, !('server' in this.spec));
    }
    if (which.resources) {
      this.resources = caps.resources ? (await client.listResources(undefined, FRESH)).resources : [];
      this.resourceTemplates = caps.resources
        ? await client.listResourceTemplates(undefined, FRESH).then(
            (r) => r.resourceTemplates,
            () => [],
          )
        : [];
    }
    if (which.prompts) this.prompts = caps.prompts ? (await client.listPrompts(undefined, FRESH)).prompts : [];
    if (emit) this.emit('lists', which);
  }

  private onLog(params: LoggingMessageNotificationParams): void {
    const level =
      params.level === 'debug'
        ? 'debug'
        : params.level === 'info' || params.level === 'notice'
          ? 'info'
          : params.level === 'warning'
            ? 'warn'
            : 'error';
    this.logger[level]({ upstreamLogger: params.logger, data: params.data }, 'upstream log message');
    const sole = this.inFlight.soleCaller();
    if ('caller' in sole) sole.caller.log?.(params);
    this.emit('log', params);
  }

  /**
   * Forwards the minimum log level callers asked for; remembered for reconnects. A modern upstream
   * has no `logging/setLevel`: the level rides in each request's `_meta` instead.
   */
  async setLoggingLevel(level: LoggingLevel): Promise<void> {
    this.logLevel = level;
    if (this.client && this.era !== 'modern' && this.capabilities?.logging) await this.client.setLoggingLevel(level);
  }

  /** Calls one of this upstream's tools by its own name. */
  callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    return forwardToolCall(this.link(), tool, args, options);
  }

  /** Reads one of its resources by its own URI; URIs in the result come back namespaced. */
  async readResource(uri: string, options: CallOptions = {}) {
    const result = await forwardRequest(this.link(), `read ${uri}`, options, (client, request) =>
      client.readResource({ uri, _meta: request.meta }, { ...request, cacheMode: 'bypass' }),
    );
    return namespaceResultUris(this.name, result);
  }

  /** Watches one of its resources (kept across reconnects); modern upstreams get it in their listen filter. */
  async subscribeResource(uri: string, options: CallOptions = {}): Promise<void> {
    if (this.era === 'modern') {
      this.watched.add(uri);
      await this.listen?.reopen();
      return;
    }
    await forwardRequest(this.link(), `subscribe ${uri}`, options, (client, request) => client.subscribeResource({ uri }, request));
    this.watched.add(uri);
  }

  async unsubscribeResource(uri: string, options: CallOptions = {}): Promise<void> {
    if (!this.watched.delete(uri)) return;
    if (this.era === 'modern') {
      await this.listen?.reopen();
      return;
    }
    await forwardRequest(this.link(), `unsubscribe ${uri}`, options, (client, request) => client.unsubscribeResource({ uri }, request));
  }

  async getPrompt(name: string, args: Record<string, string> | undefined, options: CallOptions = {}) {
    const result = await forwardRequest(this.link(), `prompt ${name}`, options, (client, request) =>
      client.getPrompt({ name, ...(args ? { arguments: args } : {}), _meta: request.meta }, request),
    );
    return namespaceResultUris(this.name, result);
  }

  complete(params: Parameters<Client['complete']>[0], options: CallOptions = {}) {
    return forwardRequest(this.link(), 'completion', options, (client, request) => client.complete(params, request));
  }

  /** What the forwarding helpers need: the live client and a way to report a lost connection. */
  private link() {
    const generation = this.generation;
    return {
      name: this.name,
      state: this.state,
      era: this.era,
      client: this.client,
      resilience: this.resilience,
      breaker: this.breaker,
      inFlight: this.inFlight,
      progress: this.progress,
      pinning: this.options.pinning,
      logLevel: this.era === 'modern' ? this.logLevel : undefined,
      hubName: (tool: string) => this.options.names.nameOf('tool', this.name, tool),
      telemetry: this.options.telemetry,
      logger: this.logger,
      describeDown: () => this.describeDown(),
      lost: (reason: string) => this.lost(generation, reason),
    };
  }

  private describeDown(): string {
    const next = this.schedule.nextAttemptAt;
    const retry = next === undefined ? '' : `; next attempt in ${Math.max(0, next - this.now())} ms`;
    const what = this.state === 'failed' ? 'failed to connect' : `is ${this.state}`;
    return `upstream '${this.name}' ${what}${this.lastError ? ` (${this.lastError})` : ''}${retry}`;
  }

  /** The connection is gone: empty the lists, tell listeners, and start reconnecting. */
  private lost(generation: number, reason: string): void {
    if (generation !== this.generation || this.state === 'closed' || this.client === undefined) return;
    const client = this.client;
    this.client = undefined;
    this.stopHealthChecks();
    client.onclose = undefined;
    client.close().catch(() => {});
    this.listen?.close().catch(() => {});
    this.listen = undefined;
    this.schedule.lost();
    this.lastError = reason;
    this.tools = [];
    this.resources = [];
    this.resourceTemplates = [];
    this.prompts = [];
    this.options.telemetry.metrics.setUpstreamUp(this.name, false);
    this.logger.warn({ reason }, 'upstream lost; reconnecting');
    this.setState('reconnecting');
    this.emit('lists', ALL);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.state === 'closed') return;
    const scheduled = this.schedule.schedule(() => {
      this.connect().then(
        () => {
          this.restarts += 1;
          this.options.telemetry.metrics.countRestart(this.name);
          this.logger.info({ restarts: this.restarts, tools: this.tools.length }, 'upstream reconnected');
        },
        (error: Error) => {
          if (this.state === 'closed') return;
          this.lastError = error.message;
          this.logger.warn({ err: error, attempts: this.schedule.attempts }, 'upstream reconnect failed');
          this.scheduleReconnect();
        },
      );
    });
    if (!scheduled) {
      this.logger.error({ attempts: this.schedule.attempts }, 'upstream gave up reconnecting');
      this.setState('failed');
    }
  }

  private startHealthChecks(generation: number): void {
    const every = this.resilience.healthIntervalMs;
    if (every <= 0) return;
    this.healthTimer = setInterval(() => {
      const client = this.client;
      if (client === undefined || generation !== this.generation) return;
      // 2026-07-28 has no ping: a modern upstream is asked `server/discover` instead.
      const timeout = Math.min(this.resilience.timeoutMs, Math.max(every, 1000));
      const probe = this.era === 'modern' ? client.discover({ timeout }) : client.ping({ timeout });
      probe.catch((error: Error) => {
        this.lost(generation, `health check failed: ${error.message}`);
      });
    }, every);
    this.healthTimer.unref();
  }

  private stopHealthChecks(): void {
    clearInterval(this.healthTimer);
    this.healthTimer = undefined;
  }

  private setState(state: UpstreamState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  status(): UpstreamStatus {
    const since = this.schedule.connectedSince;
    const next = this.schedule.nextAttemptAt;
    const blocked = this.options.pinning
      .blockedTools()
      .filter((r) => r.upstream === this.name)
      .map((r) => r.tool);
    return {
      name: this.name,
      transport: this.transport,
      state: this.state,
      tools: this.tools.length,
      resources: this.resources.length + this.resourceTemplates.length,
      prompts: this.prompts.length,
      breaker: { state: this.breaker.state, consecutiveFailures: this.breaker.consecutiveFailures, retryInMs: this.breaker.retryInMs() },
      restarts: this.restarts,
      inFlight: this.inFlight.size,
      ...(this.era ? { era: this.era } : {}),
      ...(since === undefined ? {} : { connectedSince: new Date(since).toISOString() }),
      ...(next === undefined ? {} : { nextAttemptInMs: Math.max(0, next - this.now()) }),
      ...(blocked.length > 0 ? { blockedTools: blocked } : {}),
      ...(this.lastError ? { error: this.lastError } : {}),
    };
  }

  async close(): Promise<void> {
    this.setState('closed');
    this.schedule.stop();
    clearTimeout(this.relistTimer);
    this.stopHealthChecks();
    const client = this.client;
    this.client = undefined;
    const pids = [client, this.connecting].flatMap((c) => (c ? (childPidOf(c) ?? []) : []));
    await this.connecting?.close().catch(() => {});
    await this.listen?.close();
    this.listen = undefined;
    this.options.telemetry.metrics.setUpstreamUp(this.name, false);
    if (client) {
      client.onclose = undefined;
      await client.close();
    }
    // The hub may exit next: its children must be gone (reaped) by then, not left to the host's init.
    await Promise.all(pids.map((pid) => untilGone(pid)));
  }
}
