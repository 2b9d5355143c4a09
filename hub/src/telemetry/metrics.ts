import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** How a forwarded call ended, as a metric label. */
export type CallOutcome = 'ok' | 'error' | 'timeout' | 'cancelled' | 'unavailable' | 'rejected';

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * The hub's Prometheus metrics, on a registry of its own (not prom-client's global one), so two hubs
 * in one process — tests do that — never share counters. Served at `GET /metrics`.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'tool' | 'upstream' | 'outcome'>;
  private readonly errors: Counter<'tool' | 'upstream' | 'code'>;
  private readonly duration: Histogram<'tool' | 'upstream'>;
  private readonly breaker: Gauge<'upstream'>;
  private readonly up: Gauge<'upstream'>;
  private readonly restarts: Counter<'upstream'>;
  private readonly queueDepth: Gauge<'queue'>;
  private readonly sessions: Gauge<'transport'>;
  private readonly taskEvents: Counter<'state'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.calls = new Counter({
      name: 'switchboard_tool_calls_total',
      help: 'Tool calls forwarded to upstreams, by outcome (ok, error, timeout, cancelled, unavailable, rejected)',
      labelNames: ['tool', 'upstream', 'outcome'],
      registers,
    });
    this.errors = new Counter({
      name: 'switchboard_tool_call_errors_total',
      help: 'Tool calls that did not succeed, by error code',
      labelNames: ['tool', 'upstream', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'switchboard_tool_call_duration_seconds',
      help: 'Latency of tool calls forwarded to upstreams, seen from the hub',
      labelNames: ['tool', 'upstream'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.breaker = new Gauge({
      name: 'switchboard_upstream_breaker_state',
      help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'],
      registers,
    });
    this.up = new Gauge({ name: 'switchboard_upstream_up', help: '1 when the upstream is connected', labelNames: ['upstream'], registers });
    this.restarts = new Counter({
      name: 'switchboard_upstream_restarts_total',
      help: 'Successful restarts or reconnects of an upstream after it was lost',
      labelNames: ['upstream'],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'switchboard_queue_depth',
      help: 'Tasks waiting per scheduler queue (set by the scheduler)',
      labelNames: ['queue'],
      registers,
    });
    this.sessions = new Gauge({
      name: 'switchboard_mcp_sessions',
      help: 'Open MCP sessions by transport (http, sse, stdio)',
      labelNames: ['transport'],
      registers,
    });
    this.taskEvents = new Counter({
      name: 'switchboard_task_events_total',
      help: 'Task state changes made by this hub, by the state entered (queued, running, succeeded, failed, timed_out: a missed deadline, cancelled)',
      labelNames: ['state'],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  observeCall(call: { tool: string; upstream: string; outcome: CallOutcome; seconds: number; code?: string }): void {
    const { tool, upstream, outcome } = call;
    this.calls.inc({ tool, upstream, outcome });
    this.duration.observe({ tool, upstream }, call.seconds);
    if (outcome !== 'ok') this.errors.inc({ tool, upstream, code: call.code ?? outcome.toUpperCase() });
  }

  setBreakerState(upstream: string, state: keyof typeof BREAKER_VALUE): void {
    this.breaker.set({ upstream }, BREAKER_VALUE[state]);
  }

  setUpstreamUp(upstream: string, up: boolean): void {
    this.up.set({ upstream }, up ? 1 : 0);
  }

  countRestart(upstream: string): void {
    this.restarts.inc({ upstream });
  }

  /** For the scheduler: how many tasks wait in `queue`. */
  setQueueDepth(queue: string, depth: number): void {
    this.queueDepth.set({ queue }, depth);
  }

  /** Every queue at once (a queue absent from `depths` is empty, so its series drops to nothing). */
  setQueueDepths(depths: Record<string, number>): void {
    this.queueDepth.reset();
    for (const [queue, depth] of Object.entries(depths)) this.queueDepth.set({ queue }, depth);
  }

  /** For the scheduler: a task entered `state` (timed_out counts missed deadlines). */
  countTaskEvent(state: string): void {
    this.taskEvents.inc({ state });
  }

  setSessions(transport: 'http' | 'sse' | 'stdio', open: number): void {
    this.sessions.set({ transport }, open);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
