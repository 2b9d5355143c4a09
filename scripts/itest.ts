// `make itest`: starts the mock stack (hub on its test config, then the test-server) on free loopback
// ports, runs the YAML cases in cases/ through POST /run, prints a readable report, writes the full
// JSON report to .tmp/itest-report.json and ends with one line `N passed, N failed` (assertions).
// Both children always die with this script: each is its own process group, killed with SIGTERM and
// then SIGKILL after a grace period — on success, failure, Ctrl-C and uncaught errors alike.
//
// Usage: node --import tsx scripts/itest.ts [--case NAME] [--config FILE]
//        (--config: another hub config than config/switchboard.test.yaml, e.g. scripts/itest-real.ts's)
// Env:   ITEST_KEEP_LOGS=1         print each child's stderr at the end
//        ITEST_START_TIMEOUT_MS    how long each child may take to log `listening` (default 60000)
//        ITEST_RUN_TIMEOUT_MS      how long the whole run may take (default 600000)
//        ITEST_HUB_TOKEN           bearer token for the hub (default: the test config's test-only admin key)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface Assertion {
  name: string;
  passed: boolean;
  expected: unknown;
  actual: unknown;
  message: string;
}
interface StepReport {
  name: string;
  kind: string;
  passed: boolean;
  durationMs: number;
  assertions: Assertion[];
  error?: string;
}
interface CaseReport {
  case: string;
  description: string;
  passed: boolean;
  durationMs: number;
  steps: StepReport[];
  error?: string;
}
interface RunReport {
  passed: boolean;
  durationMs: number;
  summary: { cases: number; passed: number; failed: number; assertions: number; failedAssertions: number };
  cases: CaseReport[];
}

interface Child {
  label: string;
  process: ChildProcess;
  /** The last stderr (and stdout) lines, for error messages and ITEST_KEEP_LOGS. */
  lines: string[];
  exited: Promise<void>;
}

const root = resolve(import.meta.dirname, '..');
const reportFile = join(root, '.tmp', 'itest-report.json');
const startTimeoutMs = Number(process.env.ITEST_START_TIMEOUT_MS ?? 60_000);
const runTimeoutMs = Number(process.env.ITEST_RUN_TIMEOUT_MS ?? 600_000);
const graceMs = 5_000;
const keptLines = 200;
const children: Child[] = [];
/** config/switchboard.test.yaml's test-only admin key; ITEST_HUB_TOKEN overrides it. */
const hubToken = process.env.ITEST_HUB_TOKEN ?? 'sb-test-admin-key-not-a-secret';

function start(label: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, [join(root, 'bin/switchboard.mjs'), ...args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The `listening` line is an info log: keep it even if the caller runs with LOG_LEVEL=silent.
    env: { ...process.env, LOG_LEVEL: process.env.ITEST_LOG_LEVEL ?? 'info', ...env },
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > keptLines) lines.splice(0, lines.length - keptLines);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const entry = { label, process: child, lines, exited };
  children.push(entry);
  return entry;
}

/** Resolves with the `url` of the child's first `{"msg":"listening"}` log line that `accept`s it. */
function waitForListening(child: Child, accept: (url: string) => boolean): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let buffered = '';
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${child.label} ${why}; its last output:\n${tail(child)}`));
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        const url = listeningUrl(line);
        if (url !== undefined && accept(url)) {
          cleanup();
          resolveUrl(url);
          return;
        }
      }
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (code ${code}, signal ${signal}) before listening`);
    const timer = setTimeout(() => fail(`did not log "listening" within ${startTimeoutMs} ms`), startTimeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.process.stderr?.off('data', onData);
      child.process.off('exit', onExit);
    };
    child.process.stderr?.on('data', onData);
    child.process.once('exit', onExit);
  });
}

function listeningUrl(line: string): string | undefined {
  if (!line.includes('"listening"')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return entry.msg === 'listening' && typeof entry.url === 'string' ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

function tail(child: Child, count = 30): string {
  const lines = child.lines.slice(-count);
  return lines.length > 0 ? lines.map((line) => `  | ${line}`).join('\n') : '  | (no output)';
}

/** SIGTERM to each child's process group, SIGKILL to whatever is left after the grace period. */
async function stopAll(): Promise<void> {
  const running = children.splice(0);
  for (const child of running) signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((done) => {
    timer = setTimeout(done, graceMs);
  });
  await Promise.race([Promise.all(running.map((child) => child.exited)), grace]);
  clearTimeout(timer);
  await sleep(100); // grandchildren (stdio upstreams) get a moment after their parent is gone
  for (const child of running) signalGroup(child, 'SIGKILL');
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  const pid = child.process.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The whole group is gone already.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function printReport(report: RunReport): void {
  for (const result of report.cases) {
    const description = result.description ? ` — ${result.description}` : '';
    console.log(`${mark(result.passed)} ${result.case}${description} (${result.durationMs} ms)`);
    if (result.error !== undefined) console.log(`    invalid case file: ${result.error}`);
    for (const step of result.steps) {
      console.log(`  ${mark(step.passed)} ${step.name} [${step.kind}] ${step.durationMs} ms`);
      if (step.error !== undefined) console.log(`      error: ${step.error}`);
      for (const assertion of step.assertions.filter((a) => !a.passed)) {
        console.log(`      ✗ ${assertion.name}: ${assertion.message}`);
        console.log(`          expected: ${show(assertion.expected)}`);
        console.log(`          actual:   ${show(assertion.actual)}`);
      }
    }
  }
  const { summary } = report;
  console.log(`\n${summary.passed}/${summary.cases} cases passed in ${report.durationMs} ms`);
}

function mark(passed: boolean): string {
  return passed ? '✓' : '✗';
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * Listening is not ready: upstreams connect after the hub binds, and on a loaded machine a case could
 * otherwise find its server's tools missing. Waits for /ready (every upstream connected, task store up).
 */
async function waitForReady(origin: string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = await response.text();
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`hub not ready within ${startTimeoutMs} ms: ${last.slice(0, 2000)}`);
}

async function run(caseName: string | undefined, config: string): Promise<RunReport> {
  const hub = start('hub', ['serve', '--http', '--port', '0', '--config', config]);
  const hubUrl = await waitForListening(hub, (url) => /^https?:\/\/.+\/mcp$/.test(url));
  console.log(`hub listening at ${hubUrl}`);
  await waitForReady(new URL(hubUrl).origin);
  // The hub requires a bearer token over HTTP: the test config's test-only admin key, passed in the
  // environment rather than on the command line (where `ps` would show it).
  const testServer = start('test-server', ['test-server', '--port', '0', '--hub', hubUrl, '--cases', 'cases'], { HUB_TOKEN: hubToken });
  const testServerUrl = await waitForListening(testServer, (url) => /^https?:\/\//.test(url));
  console.log(`test-server listening at ${testServerUrl}\n`);
  const path = caseName === undefined ? '/run' : `/run/${encodeURIComponent(caseName)}`;
  const response = await fetch(`${testServerUrl}${path}`, { method: 'POST', signal: AbortSignal.timeout(runTimeoutMs) });
  const body = (await response.json()) as RunReport | CaseReport | { error: string };
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${'error' in body ? body.error : JSON.stringify(body)}`);
  if ('cases' in body) return body;
  // One case: wrap it in the shape of a full run so both print and count the same way.
  const result = body as CaseReport;
  const assertions = result.steps.flatMap((step) => step.assertions);
  const failedAssertions = assertions.filter((a) => !a.passed).length + (result.error ? 1 : 0);
  return {
    passed: result.passed,
    durationMs: result.durationMs,
    summary: {
      cases: 1,
      passed: result.passed ? 1 : 0,
      failed: result.passed ? 0 : 1,
      assertions: assertions.length + (result.error ? 1 : 0),
      failedAssertions,
    },
    cases: [result],
  };
}

function dumpLogs(): void {
  if (process.env.ITEST_KEEP_LOGS !== '1') return;
  for (const child of children) console.error(`\n--- ${child.label} output (last ${keptLines} lines) ---\n${tail(child, keptLines)}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { case: { type: 'string' }, config: { type: 'string' } }, strict: true });
  try {
    const report = await run(values.case, values.config ?? 'config/switchboard.test.yaml');
    printReport(report);
    mkdirSync(join(root, '.tmp'), { recursive: true });
    writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`full report: ${relative(process.cwd(), reportFile)}`);
    const { assertions, failedAssertions } = report.summary;
    console.log(`${assertions - failedAssertions} passed, ${failedAssertions} failed`);
    return report.passed ? 0 : 1;
  } catch (error) {
    console.error(`itest: ${error instanceof Error ? error.message : String(error)}`);
    console.log('0 passed, 1 failed');
    return 1;
  } finally {
    dumpLogs();
    await stopAll();
  }
}

// Last-resort cleanup: whatever happens, no child outlives this script.
process.on('exit', () => {
  for (const child of children) signalGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`itest: ${signal}, stopping the stack`);
    void stopAll().finally(() => process.exit(130));
  });
}
process.on('uncaughtException', (error) => {
  console.error('itest: uncaught error', error);
  void stopAll().finally(() => process.exit(1));
});
process.on('unhandledRejection', (error) => {
  console.error('itest: unhandled rejection', error);
  void stopAll().finally(() => process.exit(1));
});

process.exitCode = await main();
