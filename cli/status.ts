import { parseArgs } from 'node:util';
import { loadHubConfig } from '@switchboard/hub';
import { UsageError } from './usage.ts';

interface UpstreamReport {
  name: string;
  transport?: string;
  state: string;
  tools?: number;
  breaker?: { state: string; consecutiveFailures: number; retryInMs: number };
  restarts?: number;
  inFlight?: number;
  connectedSince?: string;
  nextAttemptInMs?: number;
  blockedTools?: string[];
  error?: string;
}

/**
 * `switchboard status [--url URL | --config FILE] [--json]`: asks a running hub's `/ready` how each
 * upstream is doing. Exit 0 when ready, 1 when not, 2 when the hub cannot be reached.
 */
export async function status(argv: string[]): Promise<void> {
  process.exitCode = await runStatus(argv, (text) => process.stdout.write(text));
}

/** `status` writing to `write`; resolves with the exit code. */
export async function runStatus(argv: string[], write: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { url: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
  });
  const base = values.url ?? hubUrlFromConfig(values.config);
  let response: Response;
  try {
    response = await fetch(new URL('/ready', base), { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new UsageError(
      `no hub answering at ${base} (${(error as Error).cause ?? (error as Error).message}); is it running? (--url to point elsewhere)`,
    );
  }
  const body = (await response.json()) as { ready: boolean; upstreams: UpstreamReport[] };
  write(values.json ? `${JSON.stringify(body, null, 2)}\n` : renderStatus(base, body));
  return body.ready ? 0 : 1;
}

function hubUrlFromConfig(file: string | undefined): string {
  const { http } = loadHubConfig(file ? { file } : {}).config.hub;
  const host = http.host === '0.0.0.0' || http.host === '::' ? '127.0.0.1' : http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${http.port}`;
}

/** One line per upstream, aligned; the reason it is not connected, if any, on the line below. */
export function renderStatus(base: string, body: { ready: boolean; upstreams: UpstreamReport[] }): string {
  const rows = [['UPSTREAM', 'TRANSPORT', 'STATE', 'TOOLS', 'BREAKER', 'RESTARTS', 'IN-FLIGHT']];
  const notes: string[][] = [];
  for (const u of body.upstreams) {
    const breaker = u.breaker ? (u.breaker.state === 'open' ? `open (${Math.ceil(u.breaker.retryInMs / 1000)}s)` : u.breaker.state) : '-';
    rows.push([u.name, u.transport ?? '-', u.state, String(u.tools ?? '-'), breaker, String(u.restarts ?? 0), String(u.inFlight ?? 0)]);
    const note = [
      u.error ? `error: ${u.error}` : '',
      u.nextAttemptInMs !== undefined ? `next attempt in ${Math.ceil(u.nextAttemptInMs / 1000)}s` : '',
      u.blockedTools?.length ? `blocked (redefined, awaiting approval): ${u.blockedTools.join(', ')}` : '',
    ].filter(Boolean);
    notes.push(note);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const lines = [`hub ${base}: ${body.ready ? 'ready' : 'NOT READY'}`];
  rows.forEach((row, i) => {
    lines.push(
      row
        .map((cell, j) => cell.padEnd(widths[j] ?? 0))
        .join('  ')
        .trimEnd(),
    );
    for (const note of i === 0 ? [] : (notes[i - 1] ?? [])) lines.push(`  ${note}`);
  });
  return `${lines.join('\n')}\n`;
}
