import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { parse, stringify } from 'yaml';
import { type BenchFigure, median, percentile } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const env = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };
/** Tool calls per agent call (the reader's limits.maxSteps): the agent's fixed cost is spread over them. */
const CALLS_PER_RUN = 5;

interface CallResult {
  isError?: boolean;
  content: unknown[];
  structuredContent?: Record<string, unknown>;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<[CallResult, number]> {
  const started = performance.now();
  const result = (await client.callTool({ name, arguments: args }, { timeout: 300_000 })) as CallResult;
  const elapsed = performance.now() - started;
  if (result.isError) throw new Error(`${name} failed during the benchmark: ${JSON.stringify(result.content).slice(0, 300)}`);
  return [result, elapsed];
}

const reads = Array.from({ length: CALLS_PER_RUN }, () => ({ tool: 'fs__read_file', arguments: { path: 'hello.txt' } }));

/** The same five reads three ways, all through one hub: one by one, as one role agent call, as a planned run. */
const ways = {
  direct: async (hub: Client) => {
    let total = 0;
    for (const step of reads) total += (await call(hub, step.tool, step.arguments))[1];
    return total;
  },
  agent: async (hub: Client) => (await call(hub, 'agent__reader', { task: 'read five times', context: { steps: reads } }))[1],
  planner: async (hub: Client) => {
    const [result, ms] = await call(hub, 'hub__run_task', {
      task: 'read five times',
      waitMs: 120_000,
      steps: [{ id: 'reads', role: 'reader', task: 'read five times', context: { steps: reads } }],
    });
    if (result.structuredContent?.status !== 'succeeded')
      throw new Error(`the planned run ended ${String(result.structuredContent?.status)}`);
    return ms;
  },
};

/**
 * The test stack cut to the upstreams these runs use (fs, shell, s3, runsdb: all mocks), so nine other
 * servers do not share the CPU; its own data dir, so checkpoints and audit start empty.
 */
function benchConfig(dir: string): string {
  const test = parse(readFileSync(join(root, 'config', 'switchboard.test.yaml'), 'utf8')) as {
    upstreams: Record<string, Record<string, unknown>>;
    principals: unknown;
  };
  const upstreams = Object.fromEntries(
    // A long timeout: on a loaded machine a starting server may take longer than 30 s to answer initialize.
    ['fs', 'shell', 's3', 'runsdb'].map((name) => [name, { ...test.upstreams[name], cwd: join(root, 'config'), timeoutMs: 180_000 }]),
  );
  const file = join(dir, 'switchboard.yaml');
  writeFileSync(
    file,
    stringify({
      hub: { name: 'bench-planner', dataDir: join(dir, 'data') },
      roles: join(root, 'roles'),
      upstreams,
      principals: test.principals,
    }),
  );
  return file;
}

/** The hub serves at once and connects its upstreams behind: wait until the tools used here are listed. */
async function untilServed(hub: Client, names: string[], timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = new Set((await hub.listTools(undefined, { timeout: 120_000 })).tools.map((tool) => tool.name));
    const missing = names.filter((name) => !listed.has(name));
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the hub did not serve ${missing.join(', ')} within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** The arguments of the e2e case's run step, as the case file gives them (two rounds, one failing). */
function e2eArguments(): Record<string, unknown> {
  const file = parse(readFileSync(join(root, 'cases', 'e2e-code-test-artifact.yaml'), 'utf8')) as {
    steps: { tool?: string; arguments?: Record<string, unknown> }[];
  };
  const step = file.steps.find((s) => s.tool === 'hub__run_task');
  if (step?.arguments === undefined) throw new Error('cases/e2e-code-test-artifact.yaml has no hub__run_task step');
  return step.arguments;
}

/**
 * Planner overhead in no-LLM mode on the mock test stack (config/switchboard.test.yaml's fs, shell,
 * s3 and runsdb; hub over stdio): per tool call, five fs reads as five direct `fs__read_file` calls vs. one `agent__reader` call
 * running them (role agent: LangGraph graph, policy per step) vs. one `hub__run_task` (planner: plan,
 * scheduler task, checkpoints, review, report). Blocks alternate so a noisy machine hits all alike.
 * Then the end-to-end time of the e2e case's run (code → test → fix → archive → record, 2 rounds).
 */
export async function run(rounds = Number(process.env.BENCH_PLANNER_ROUNDS ?? 30)): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-planner-'));
  const hub = new Client({ name: 'bench-planner', version: '1' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'serve', '--stdio', '--config', benchConfig(dir)],
    cwd: root,
    env: { ...env, LOG_LEVEL: 'warn' },
    stderr: 'pipe',
  });
  // The hub's warnings (an upstream that cannot start) are kept to explain a failed start.
  const hubLog: string[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => hubLog.push(...chunk.toString('utf8').split('\n').filter(Boolean).slice(-20)));
  await hub.connect(
    transport,
    { timeout: 300_000 }, // a loaded machine starts the hub slowly
  );
  try {
    await untilServed(hub, ['fs__read_file', 'agent__reader', 'hub__run_task', 'shell__run', 's3__put_object', 'runsdb__execute']).catch(
      (error: Error) => {
        throw new Error(`${error.message}; the hub said:\n${hubLog.slice(-20).join('\n')}`);
      },
    );
    for (let i = 0; i < 3; i++) for (const way of Object.values(ways)) await way(hub);
    const perCall: Record<keyof typeof ways, number[]> = { direct: [], agent: [], planner: [] };
    for (let i = 0; i < rounds; i++)
      for (const [name, way] of Object.entries(ways) as [keyof typeof ways, (hub: Client) => Promise<number>][])
        perCall[name].push((await way(hub)) / CALLS_PER_RUN);
    const direct = median(perCall.direct);
    const agent = median(perCall.agent);
    const planner = median(perCall.planner);

    const e2eRuns = Number(process.env.BENCH_E2E_RUNS ?? 5);
    const args = e2eArguments();
    const e2eMs: number[] = [];
    let toolCalls = 0;
    for (let i = 0; i < e2eRuns; i++) {
      const [result, ms] = await call(hub, 'hub__run_task', args);
      const report = result.structuredContent?.report as { status?: string; rounds?: number; steps?: unknown[] } | undefined;
      if (report?.status !== 'succeeded' || report.rounds !== 2)
        throw new Error(`the e2e run ended ${JSON.stringify(report).slice(0, 300)}`);
      toolCalls = report.steps?.length ?? 0;
      e2eMs.push(ms);
    }
    return [
      {
        name: `planner overhead per tool call (no-LLM, ${CALLS_PER_RUN} fs reads per run, mock stack, stdio)`,
        ratioOf: 'planned run / direct calls',
        ratio: planner / direct,
        figures: {
          runs: perCall.direct.length,
          directPerCallMs: direct,
          agentPerCallMs: agent,
          plannerPerCallMs: planner,
          agentOverDirect: agent / direct,
          agentAddedPerCallMs: agent - direct,
          plannerAddedPerCallMs: planner - direct,
          plannerP99PerCallMs: percentile(perCall.planner, 99),
        },
      },
      {
        name: 'e2e case run (implement slugify with tests: 2 rounds, 6 role steps + 2 reviews, mock stack)',
        ratioOf: `e2e run / ${CALLS_PER_RUN} direct calls`,
        ratio: median(e2eMs) / (direct * CALLS_PER_RUN),
        figures: {
          runs: e2eMs.length,
          medianMs: median(e2eMs),
          minMs: Math.min(...e2eMs),
          maxMs: Math.max(...e2eMs),
          roleSteps: toolCalls,
        },
      },
    ];
  } finally {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
