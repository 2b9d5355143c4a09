import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ToolPinStore } from '@switchboard/hub';
import { runPins } from './pins.ts';
import { renderStatus, runStatus } from './status.ts';
import { UsageError } from './usage.ts';

const cli = join(import.meta.dirname, '..', 'bin', 'switchboard.mjs');
const dir = mkdtempSync(join(tmpdir(), 'cli-status-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command in this process, collecting what it prints. */
async function inProcess(run: (write: (text: string) => void) => Promise<unknown>): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await run((text) => {
    stdout += text;
  });
  return { code: typeof code === 'number' ? code : 0, stdout };
}

const notReady = {
  ready: false,
  upstreams: [
    {
      name: 'fs',
      transport: 'stdio',
      state: 'connected',
      tools: 6,
      breaker: { state: 'closed', consecutiveFailures: 0, retryInMs: 0 },
      restarts: 0,
      inFlight: 1,
    },
    {
      name: 'sql',
      transport: 'http',
      state: 'reconnecting',
      tools: 0,
      breaker: { state: 'open', consecutiveFailures: 5, retryInMs: 12_000 },
      restarts: 3,
      inFlight: 0,
      nextAttemptInMs: 4000,
      error: 'health ping failed: fetch failed',
      blockedTools: ['sql__query'],
    },
  ],
};

describe('switchboard status', () => {
  it('renders one aligned line per upstream, with why it is not connected', () => {
    const text = renderStatus('http://127.0.0.1:7700', notReady);
    assert.equal(
      text,
      [
        'hub http://127.0.0.1:7700: NOT READY',
        'UPSTREAM  TRANSPORT  STATE         TOOLS  BREAKER     RESTARTS  IN-FLIGHT',
        'fs        stdio      connected     6      closed      0         1',
        'sql       http       reconnecting  0      open (12s)  3         0',
        '  error: health ping failed: fetch failed',
        '  next attempt in 4s',
        '  blocked (redefined, awaiting approval): sql__query',
        '',
      ].join('\n'),
    );
  });

  it('asks a running hub’s /ready and exits 1 when it is not ready, 2 when nothing answers', async () => {
    const hub = createServer((req, res) => {
      res.writeHead(req.url === '/ready' ? 503 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(notReady));
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
    try {
      const result = await inProcess((write) => runStatus(['--url', url], write));
      assert.equal(result.code, 1);
      assert.match(result.stdout, /NOT READY/);
      assert.match(result.stdout, /sql\s+http\s+reconnecting/);
      const json = await inProcess((write) => runStatus(['--url', url, '--json'], write));
      assert.deepEqual(JSON.parse(json.stdout), notReady);
      // the command is wired into the CLI, exit code included
      const cliRun = await run(['status', '--url', url]);
      assert.equal(cliRun.code, 1, cliRun.stderr);
      assert.match(cliRun.stdout, /NOT READY/);
    } finally {
      hub.close();
    }
    await assert.rejects(
      runStatus(['--url', url], () => {}),
      (error: Error) => error instanceof UsageError && /no hub answering at http:\/\/127\.0\.0\.1:\d+/.test(error.message),
    );
  });
});

describe('switchboard pins', () => {
  it('lists what a hub blocked and approves it in the pin file', async () => {
    const config = join(dir, 'switchboard.yaml');
    writeFileSync(config, 'hub:\n  dataDir: ./state\nauth: none\nupstreams: {}\n');
    const store = new ToolPinStore(join(dir, 'state', 'tool-pins.json'));
    store.approve('fs__read_file', 'a'.repeat(64));
    store.markPending('fs__read_file', 'fs', 'b'.repeat(64));
    const list = await inProcess((write) => runPins(['--config', config], write));
    assert.match(list.stdout, /blocked until approved:\n {2}fs__read_file\s+\(fs, seen /);
    const approve = await inProcess((write) => runPins(['approve', 'fs__read_file', '--config', config], write));
    assert.match(approve.stdout, /approved fs__read_file/);
    const saved = JSON.parse(readFileSync(join(dir, 'state', 'tool-pins.json'), 'utf8'));
    assert.equal(saved.pins.fs__read_file.fingerprint, 'b'.repeat(64));
    assert.deepEqual(saved.pending, {});
    await assert.rejects(
      runPins(['approve', 'fs__read_file', '--config', config], () => {}),
      /nothing pending for fs__read_file/,
    );
  });
});
