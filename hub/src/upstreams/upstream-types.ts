import type { LoggingMessageNotificationParams } from '@modelcontextprotocol/client';
import type { Logger } from '@switchboard/kit';
import type { NameRegistry } from '../catalog/name-registry.ts';
import type { Telemetry } from '../telemetry/index.ts';
import type { BreakerState } from './breaker.ts';
import type { ConnectContext } from './connect.ts';
import type { ToolPinning } from './pinning.ts';

/**
 * `connecting` (first attempt), `connected`, `reconnecting` (a connection was lost; retrying),
 * `failed` (could not connect: retrying in the background, or given up after `restart.maxAttempts`),
 * `closed` (the hub is shutting down).
 */
export type UpstreamState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface UpstreamOptions {
  connect: ConnectContext;
  logger: Logger;
  telemetry: Telemetry;
  pinning: ToolPinning;
  /** Hub names of upstream tools (pins and metrics key on them). */
  names: NameRegistry;
  /** The hub-wide `pinTools`; an upstream's own setting wins. */
  pinTools: boolean;
  now?: () => number;
  random?: () => number;
}

/** Which of an upstream's lists changed (all of them when it connects or is lost). */
export interface ListsChanged {
  tools: boolean;
  resources: boolean;
  prompts: boolean;
}

export interface UpstreamEvents {
  lists: [ListsChanged];
  state: [UpstreamState];
  /** A log message the upstream sent (`notifications/message`). */
  log: [LoggingMessageNotificationParams];
  /** `notifications/resources/updated` for one of its (un-namespaced) URIs. */
  resourceUpdated: [string];
}

export interface UpstreamStatus {
  name: string;
  transport: 'stdio' | 'http';
  state: UpstreamState;
  tools: number;
  resources: number;
  prompts: number;
  breaker: { state: BreakerState; consecutiveFailures: number; retryInMs: number };
  restarts: number;
  inFlight: number;
  /** Protocol era of the live connection: legacy (2025) or modern (2026-07-28). */
  era?: 'legacy' | 'modern';
  connectedSince?: string;
  nextAttemptInMs?: number;
  blockedTools?: string[];
  error?: string;
}
