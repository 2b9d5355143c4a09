import type {
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitRequestURLParams,
  ElicitResult,
  LoggingMessageNotificationParams,
  Progress,
} from '@modelcontextprotocol/client';

/**
 * The way back to whoever made a call through the hub, for what an upstream sends while the call
 * runs: sampling and elicitation requests (only where the caller declared it supports them) and
 * log messages. Faces build one per caller; calls without one (the CLI, agents) get none of these.
 */
export interface CallerChannel {
  /** Same for every call from one caller connection or session. */
  id: string;
  canSample: boolean;
  canElicit: boolean;
  sample(params: CreateMessageRequestParams, signal: AbortSignal): Promise<CreateMessageResult>;
  elicit(params: ElicitRequestFormParams | ElicitRequestURLParams, signal: AbortSignal): Promise<ElicitResult>;
  /** A log message from the upstream serving this caller's call. */
  log?(params: LoggingMessageNotificationParams): void;
}

/** Options for one call forwarded to an upstream. */
export interface CallOptions {
  /** The caller gave up: the upstream gets `notifications/cancelled` and the call ends. */
  signal?: AbortSignal;
  correlationId?: string;
  /** Per-call timeout; the upstream's own `timeoutMs` caps it. */
  timeoutMs?: number;
  /** Progress the upstream reports, already translated to the caller's progress token by the face. */
  onprogress?: (progress: Progress) => void;
  caller?: CallerChannel;
  /** The caller-side trace context (an OpenTelemetry Context); the upstream span is its child. */
  traceContext?: unknown;
}

/**
 * The calls running on one upstream, so a request the upstream sends mid-call (sampling,
 * elicitation) can be routed to the caller it belongs to. A 2025-era upstream's request carries no
 * link to the call it is part of, so the hub routes it only when that is unambiguous: every call in
 * flight comes from the same caller. Otherwise it is refused rather than risk showing one caller's
 * prompt to another.
 */
export class InFlightCalls {
  private readonly calls = new Set<CallOptions>();

  track<T>(options: CallOptions, run: () => Promise<T>): Promise<T> {
    this.calls.add(options);
    return run().finally(() => this.calls.delete(options));
  }

  get size(): number {
    return this.calls.size;
  }

  /** The one caller all running calls belong to, or a reason there is none. */
  soleCaller(): { caller: CallerChannel } | { reason: string } {
    const callers = new Map<string, CallerChannel>();
    let anonymous = 0;
    for (const call of this.calls) {
      if (call.caller) callers.set(call.caller.id, call.caller);
      else anonymous++;
    }
    const [only] = callers.values();
    if (callers.size === 1 && anonymous === 0 && only) return { caller: only };
    if (callers.size === 0) return { reason: 'no call from a connected MCP client is running on this upstream' };
    return { reason: 'calls from several callers are running on this upstream, so the request cannot be attributed to one' };
  }
}
