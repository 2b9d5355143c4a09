export type { ConnectContext } from './connect.ts';
export { UpstreamPool, type UpstreamStatus } from './pool.ts';
export { type CallOptions, Upstream, type UpstreamState } from './upstream.ts';
