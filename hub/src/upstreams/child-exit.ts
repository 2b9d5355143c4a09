import type { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** The pid of the process behind a stdio upstream's client (undefined for HTTP, or once it is gone). */
export function childPidOf(client: Client): number | undefined {
  const transport = client.transport;
  return transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined;
}

/**
 * Resolves once `pid` has exited and been reaped, or after `maxMs`. The SDK's close() sends the
 * final SIGKILL without waiting for it; a hub that exited right then would leave the child to be
 * reaped by whatever init the host has (some never do: zombies). Node reaps its own children as its
 * event loop turns, so polling with timers is enough.
 */
export async function untilGone(pid: number, maxMs = 3000): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true; // ESRCH: gone and reaped
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
