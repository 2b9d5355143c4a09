// Processes for the hub-level fault tests: the probe upstream (hub/test/fixtures/probe-server.ts) over
// HTTP as its own process, and an MCP client to read its counters straight from it (not via the hub).
import { type ChildProcess, spawn } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { probePath, repoRoot, waitFor } from '../../hub/test/support/harness.ts';

export interface Probe {
  child: ChildProcess;
  url: string;
  port: number;
  /** Its counters: calls, cancellations, calls waiting now, pid. */
  state(): Promise<{ calls: number; cancelled: number; waiting: number; pid: number }>;
  close(): Promise<void>;
}

export async function startHttpProbe(): Promise<Probe> {
  const child = spawn(process.execPath, ['--import', 'tsx', probePath, '--transport', 'http', '--port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-10_000);
  });
  const url = await waitFor('the probe to listen', () => /probe listening (\S+)/.exec(stderr)?.[1], 240_000).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });
  const client = new Client({ name: 'fault-test-observer', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    child,
    url,
    port: Number(new URL(url).port),
    async state() {
      const result = await client.callTool({ name: 'state', arguments: {} });
      return JSON.parse((result.content as { text: string }[])[0]?.text ?? '{}');
    },
    async close() {
      await client.close().catch(() => {});
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** The text of a tool result, or of the error a call threw. */
export async function outcomeText(call: Promise<unknown>): Promise<{ isError: boolean; text: string }> {
  try {
    const result = (await call) as { isError?: boolean; content: { type: string; text?: string }[] };
    return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n') };
  } catch (error) {
    return { isError: true, text: (error as Error).message };
  }
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Runs a read-only request again when the connection itself failed ("fetch failed": a keep-alive
 * socket the server closed while this process was too busy to notice — common on a loaded machine).
 * Only for reads: a tool call that may have side effects is never repeated here.
 */
export async function readAgain<T>(read: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts || !/fetch failed/.test((error as Error).message)) throw error;
    }
  }
}
