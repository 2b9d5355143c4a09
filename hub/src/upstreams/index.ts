export { backoffDelay } from './backoff.ts';
export { type BreakerState, CircuitBreaker } from './breaker.ts';
export { type CallerChannel, type CallOptions, InFlightCalls } from './caller.ts';
export type { ConnectContext } from './connect.ts';
export { type SuspiciousTool, ToolPinning } from './pinning.ts';
export { type PoolEvents, type PoolOptions, UpstreamPool, type UpstreamStatus } from './pool.ts';
export { protectedPaths } from './protect.ts';
export { DEFAULT_RESILIENCE, type Resilience } from './resilience.ts';
export {
  canonicalJson,
  type PendingPin,
  pinFileOf,
  type ToolPin,
  ToolPinStore,
  type ToolRedefinition,
  toolFingerprint,
} from './tool-pins.ts';
export { type ListsChanged, Upstream, type UpstreamState } from './upstream.ts';
