import type { LoggingLevel, LoggingMessageNotificationParams, Server } from '@modelcontextprotocol/server';
import { ToolError } from '@switchboard/kit';
import { namespaceUri } from '../catalog/index.ts';
import type { Hub } from '../hub.ts';

export type SessionTransport = 'http' | 'sse' | 'stdio';

const SEVERITY: Record<LoggingLevel, number> = {
  debug: 0,
  info: 1,
  notice: 2,
  warning: 3,
  error: 4,
  critical: 5,
  alert: 6,
  emergency: 7,
};

/** One long-lived caller connection (a 2025-era HTTP session, a legacy SSE connection, stdio). */
export interface Session {
  readonly id: string;
  readonly transport: SessionTransport;
  readonly server: Server;
  /** Set by the caller's `logging/setLevel`; until then it gets no upstream log messages. */
  logLevel?: LoggingLevel;
  /** Namespaced resource URIs this caller subscribed to. */
  readonly subscriptions: Set<string>;
  /** May this caller see what the upstream sends (log lines, resource updates)? Policy decides. */
  mayUse(upstream: string): boolean;
  /** Keeps what the caller set (its log level) where other hub replicas find it. */
  persist?(patch: { logLevel: LoggingLevel }): void;
}

/**
 * The callers the hub can push to: `notifications/tools|resources|prompts/list_changed` when the
 * catalogue changes, upstream log messages to callers that asked for them, and resource updates to
 * their subscribers. Upstream subscriptions are reference-counted across sessions.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly upstreamSubscribers = new Map<string, number>();
  private readonly detach: () => void;

  constructor(private readonly hub: Hub) {
    const onChanged = (changed: { tools: boolean; resources: boolean; prompts: boolean }) => this.listChanged(changed);
    const onLog = (upstream: string, params: LoggingMessageNotificationParams) => this.log(upstream, params);
    const onUpdated = (upstream: string, uri: string) => this.resourceUpdated(upstream, uri);
    hub.catalog.on('changed', onChanged);
    hub.pool.on('log', onLog);
    hub.pool.on('resourceUpdated', onUpdated);
    this.detach = () => {
      hub.catalog.off('changed', onChanged);
      hub.pool.off('log', onLog);
      hub.pool.off('resourceUpdated', onUpdated);
    };
  }

  get size(): number {
    return this.sessions.size;
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    this.updateGauge(session.transport);
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Forgets a closed session and drops the upstream subscriptions only it held. */
  remove(id: string): void {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    for (const uri of session.subscriptions) this.release(uri);
    this.updateGauge(session.transport);
    if (session.logLevel !== undefined) this.applyLogLevel();
  }

  setLogLevel(session: Session, level: LoggingLevel): void {
    const changed = session.logLevel !== level;
    session.logLevel = level;
    if (changed) session.persist?.({ logLevel: level });
    this.applyLogLevel();
  }

  async subscribe(session: Session, uri: string, upstream: string, upstreamUri: string): Promise<void> {
    if (session.subscriptions.has(uri)) return;
    const target = this.hub.pool.get(upstream);
    if (target?.capabilities?.resources?.subscribe !== true) {
      throw new ToolError(
        'INVALID_ARGUMENT',
        `upstream '${upstream}' does not offer resource subscriptions, so '${uri}' cannot be watched`,
        'uri',
      );
    }
    const count = this.upstreamSubscribers.get(uri) ?? 0;
    if (count === 0) await target.subscribeResource(upstreamUri);
    this.upstreamSubscribers.set(uri, count + 1);
    session.subscriptions.add(uri);
  }

  unsubscribe(session: Session, uri: string): void {
    if (session.subscriptions.delete(uri)) this.release(uri);
  }

  private release(uri: string): void {
    const count = (this.upstreamSubscribers.get(uri) ?? 1) - 1;
    if (count > 0) {
      this.upstreamSubscribers.set(uri, count);
      return;
    }
    this.upstreamSubscribers.delete(uri);
    const split = this.hub.catalog.resolveUri(uri);
    if (split)
      this.hub.pool
        .get(split.upstream)
        ?.unsubscribeResource(split.uri)
        .catch(() => {});
  }

  private listChanged(changed: { tools: boolean; resources: boolean; prompts: boolean }): void {
    for (const { server } of this.sessions.values()) {
      if (server.transport === undefined) continue;
      if (changed.tools) server.sendToolListChanged().catch(() => {});
      if (changed.resources) server.sendResourceListChanged().catch(() => {});
      if (changed.prompts) server.sendPromptListChanged().catch(() => {});
    }
  }

  private log(upstream: string, params: LoggingMessageNotificationParams): void {
    const logger = params.logger ? `${upstream}/${params.logger}` : upstream;
    for (const session of this.sessions.values()) {
      if (session.logLevel === undefined || SEVERITY[params.level] < SEVERITY[session.logLevel] || !session.mayUse(upstream)) continue;
      session.server.notification({ method: 'notifications/message', params: { ...params, logger } }).catch(() => {});
    }
  }

  private resourceUpdated(upstream: string, uri: string): void {
    const namespaced = namespaceUri(upstream, uri);
    for (const session of this.sessions.values()) {
      if (session.subscriptions.has(namespaced)) session.server.sendResourceUpdated({ uri: namespaced }).catch(() => {});
    }
  }

  /** Upstreams log at the most verbose level any caller asked for. */
  private applyLogLevel(): void {
    const levels = [...this.sessions.values()].flatMap((s) => (s.logLevel ? [s.logLevel] : []));
    if (levels.length === 0) return;
    const lowest = levels.reduce((a, b) => (SEVERITY[a] <= SEVERITY[b] ? a : b));
    this.hub.pool.setLoggingLevel(lowest).catch(() => {});
  }

  private updateGauge(transport: SessionTransport): void {
    const open = [...this.sessions.values()].filter((s) => s.transport === transport).length;
    this.hub.telemetry.metrics.setSessions(transport, open);
  }

  /** Closes every session (hub shutdown). */
  async close(): Promise<void> {
    this.detach();
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map((s) => s.server.close()));
  }
}
