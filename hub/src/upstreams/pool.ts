import { EventEmitter } from 'node:events';
import type { LoggingLevel, LoggingMessageNotificationParams } from '@modelcontextprotocol/client';
import type { Logger } from '@switchboard/kit';
import { NameRegistry } from '../catalog/name-registry.ts';
import type { HubConfig } from '../config/index.ts';
import { Telemetry } from '../telemetry/index.ts';
import type { ConnectContext } from './connect.ts';
import { type SuspiciousTool, ToolPinning } from './pinning.ts';
import { ToolPinStore, type ToolRedefinition } from './tool-pins.ts';
import { type ListsChanged, Upstream, type UpstreamState, type UpstreamStatus } from './upstream.ts';

export type { UpstreamStatus } from './upstream.ts';

export interface PoolOptions {
  telemetry?: Telemetry;
  /** Where approved tool definitions are kept; in memory when unset. */
  pinFile?: string;
  /** Hub-wide `pinTools`: block redefined tools until re-approved. */
  pinTools?: boolean;
  /** The names clients see for upstream tools and prompts; default: `<upstream>__<name>`, shortened when needed, in memory. */
  names?: NameRegistry;
  now?: () => number;
  random?: () => number;
}

export interface PoolEvents {
  /** An upstream's tools, resources or prompts changed (connected, lost, or `list_changed`). */
  lists: [upstream: string, which: ListsChanged];
  state: [upstream: string, state: UpstreamState];
  log: [upstream: string, params: LoggingMessageNotificationParams];
  resourceUpdated: [upstream: string, uri: string];
  /** A tool's description or schema changed since approval: the audit log records this. */
  toolRedefined: [ToolRedefinition];
  /** A tool's definition looks like it hides instructions for the model: the audit log records this. */
  toolSuspicious: [SuspiciousTool];
  /** Blocked tools were re-approved. */
  toolsApproved: [string[]];
}

/** Every upstream of the hub. One failing upstream never stops the others from serving. */
export class UpstreamPool extends EventEmitter<PoolEvents> {
  readonly upstreams: Map<string, Upstream>;
  readonly pinning: ToolPinning;
  readonly telemetry: Telemetry;
  readonly names: NameRegistry;
  /** Settles when every upstream's first connect has (connectAll). */
  private startup: Promise<void> | undefined;

  constructor(
    config: HubConfig,
    context: ConnectContext,
    private readonly logger: Logger,
    options: PoolOptions = {},
  ) {
    super();
    this.telemetry = options.telemetry ?? new Telemetry({ processMetrics: false });
    this.names = options.names ?? new NameRegistry();
    let warned = false;
    const onWriteError = (error: Error) => {
      if (!warned)
        logger.warn(
          { err: error, pinFile: options.pinFile },
          'cannot write the tool pin file; approvals live in memory until the hub restarts',
        );
      warned = true;
    };
    this.pinning = new ToolPinning(new ToolPinStore(options.pinFile, onWriteError));
    this.pinning.on('redefined', (redefinition) => {
      logger.warn({ ...redefinition }, redefinition.blocked ? 'tool redefined since approval: blocked' : 'tool redefined since approval');
      this.emit('toolRedefined', redefinition);
    });
    this.pinning.on('suspicious', (finding) => {
      logger.warn({ ...finding }, finding.blocked ? 'tool looks poisoned: quarantined' : 'tool looks poisoned');
      this.emit('toolSuspicious', finding);
    });
    this.pinning.on('approved', (tools) => {
      logger.info({ tools }, 'redefined tools re-approved');
      this.emit('toolsApproved', tools);
    });
    const upstreamOptions = {
      connect: context,
      logger,
      telemetry: this.telemetry,
      pinning: this.pinning,
      names: this.names,
      pinTools: options.pinTools ?? false,
      ...(options.now ? { now: options.now } : {}),
      ...(options.random ? { random: options.random } : {}),
    };
    this.upstreams = new Map(
      Object.entries(config.upstreams).map(([name, spec]) => {
        const upstream = new Upstream(name, spec, upstreamOptions);
        upstream.on('lists', (which) => this.emit('lists', name, which));
        upstream.on('state', (state) => this.emit('state', name, state));
        upstream.on('log', (params) => this.emit('log', name, params));
        upstream.on('resourceUpdated', (uri) => this.emit('resourceUpdated', name, uri));
        return [name, upstream];
      }),
    );
  }

  /**
   * Connects all upstreams in parallel; failures are logged, retried in the background, and reported
   * by `status()`. Waits at most `waitMs`: an upstream still starting or hung after that keeps
   * connecting in the background (its tools join the catalogue when it is up), so one slow server
   * never holds back serving the others. Resolves with the names of those still connecting.
   */
  async connectAll(waitMs = Number.POSITIVE_INFINITY): Promise<string[]> {
    const all = Promise.all(
      [...this.upstreams.values()].map(async (upstream) => {
        try {
          await upstream.start();
          this.logger.info({ upstream: upstream.name, tools: upstream.tools.length }, 'upstream connected');
        } catch (error) {
          if (upstream.state === 'closed') return;
          this.logger.error({ upstream: upstream.name, err: error }, 'upstream failed to connect; retrying in the background');
        }
      }),
    );
    this.startup = all.then(() => {});
    let timer: NodeJS.Timeout | undefined;
    const waited = Number.isFinite(waitMs) ? new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))) : all;
    await Promise.race([all, waited]);
    clearTimeout(timer);
    const pending = [...this.upstreams.values()].filter((u) => u.state === 'connecting').map((u) => u.name);
    if (pending.length > 0)
      this.logger.warn({ upstreams: pending, waitMs }, 'serving without upstreams still connecting; their tools appear when they connect');
    return pending;
  }

  /**
   * While some upstream is still in its first connect (its tools unknown yet), waits for the first
   * connects to settle, at most `maxMs`; true when it waited. Lets a call naming a tool that is about
   * to arrive wait for it instead of failing as unknown.
   */
  async untilStarted(maxMs: number): Promise<boolean> {
    if (this.startup === undefined || ![...this.upstreams.values()].some((u) => u.state === 'connecting')) return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.startup, new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
    return true;
  }

  get(name: string): Upstream | undefined {
    return this.upstreams.get(name);
  }

  status(): UpstreamStatus[] {
    return [...this.upstreams.values()].map((u) => u.status());
  }

  /** Ready when every configured upstream is connected. */
  ready(): boolean {
    return [...this.upstreams.values()].every((u) => u.state === 'connected');
  }

  /** Approves the current definition of a blocked tool (the CLI edits the pin file instead). */
  approveTool(name: string): boolean {
    return this.pinning.approve(name);
  }

  /** Passes a log level on to every upstream that logs (the lowest level any caller asked for). */
  async setLoggingLevel(level: LoggingLevel): Promise<void> {
    await Promise.allSettled([...this.upstreams.values()].map((u) => u.setLoggingLevel(level)));
  }

  async close(): Promise<void> {
    this.pinning.close();
    await Promise.allSettled([...this.upstreams.values()].map((u) => u.close()));
  }
}
