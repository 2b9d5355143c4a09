import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';

/**
 * What a failed upstream request says about the upstream:
 * - `timeout`: it did not answer in time (counts against the breaker);
 * - `disconnected`: the connection is gone (counts, and the hub reconnects);
 * - `cancelled`: our caller gave up (says nothing about the upstream);
 * - `answered`: the upstream answered with a JSON-RPC error — it is alive, the request was wrong.
 */
export type Fault = 'timeout' | 'disconnected' | 'cancelled' | 'answered';

const CONNECTION_CODES = new Set<string>([
  SdkErrorCode.ConnectionClosed,
  SdkErrorCode.NotConnected,
  SdkErrorCode.SendFailed,
  SdkErrorCode.ClientHttpFailedToOpenStream,
  SdkErrorCode.ClientHttpUnexpectedContent,
]);
const NETWORK = /ECONNREFUSED|ECONNRESET|EPIPE|ENOTFOUND|EHOSTUNREACH|socket hang up|fetch failed|terminated/i;

export function classifyFault(error: unknown, signals: { timedOut: boolean; cancelled: boolean }): Fault {
  if (signals.cancelled) return 'cancelled';
  if (signals.timedOut) return 'timeout';
  if (error instanceof ProtocolError) return 'answered';
  if (error instanceof SdkError) {
    if (error.code === SdkErrorCode.RequestTimeout) return 'timeout';
    if (CONNECTION_CODES.has(error.code)) return 'disconnected';
    // An HTTP upstream that lost our session (restarted) answers 404; a crashed proxy 5xx.
    const status = (error.data as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && (status === 404 || status >= 500)) return 'disconnected';
    return 'answered';
  }
  return NETWORK.test(describeChain(error)) ? 'disconnected' : 'answered';
}

/** The messages of an error and its causes: fetch hides ECONNREFUSED in `cause`. */
function describeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const e = current as { message?: unknown; code?: unknown; cause?: unknown };
    parts.push(String(e.message ?? current), String(e.code ?? ''));
    current = e.cause;
  }
  return parts.join(' ');
}
