/**
 * Cancellation for HTTP upstreams that serve each POST with a fresh server (stateless Streamable HTTP,
 * as every kit server does in the 2025 era): there `notifications/cancelled` arrives as a separate POST
 * that matches no request, so the hub also closes the cancelled request's own POST, which such a
 * server takes as the cancel (the 2026-07-28 era does only that, and the SDK already does it there).
 * Wraps the transport's fetch: remembers each request's abort by JSON-RPC id, and aborts it when a
 * cancellation for that id goes out. One wrapper per transport, so ids never collide.
 */
const MAX_TRACKED = 10_000;

export function cancellableFetch(inner: typeof fetch = fetch): typeof fetch {
  const open = new Map<string | number, AbortController>();
  return (input, init) => {
    const message = outbound(init);
    if (message?.method === 'notifications/cancelled') {
      const id = (message.params as { requestId?: string | number } | undefined)?.requestId;
      if (id !== undefined) {
        open.get(id)?.abort(new Error('cancelled by the caller'));
        open.delete(id);
      }
    } else if (message?.id !== undefined && message.id !== null && typeof message.method === 'string') {
      const controller = new AbortController();
      open.delete(message.id); // re-insert: the Map keeps insertion order, oldest first
      open.set(message.id, controller);
      // Finished requests are not reported here; aborting one is a no-op, so just bound the map.
      if (open.size > MAX_TRACKED) open.delete(open.keys().next().value as string | number);
      const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
      return inner(input, { ...init, signal });
    }
    return inner(input, init);
  };
}

/** The single JSON-RPC message a POST carries, if it is one (batches and other bodies pass through). */
function outbound(init: RequestInit | undefined): { id?: string | number | null; method?: unknown; params?: unknown } | undefined {
  if (init?.method !== 'POST' || typeof init.body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(init.body) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as never) : undefined;
  } catch {
    return undefined;
  }
}
