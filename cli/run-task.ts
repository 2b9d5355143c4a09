import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { type Hub, RunInputSchema, type RunView, renderReport, renderView } from '@switchboard/hub';
import { RunProgress } from './run-progress.ts';
import { startHub } from './start-hub.ts';
import { UsageError } from './usage.ts';

/**
 * `switchboard run "<task>"`: plans the task and runs it here (a hub with its task workers), showing
 * progress live on stderr, then prints the report on stdout. Exit 0 when the run succeeded, 1 when
 * not, 3 when it waits for an approval nobody can give here (no terminal, no --yes).
 * `--role R` skips the planner: one call of agent__R, its answer printed.
 */
export async function runTask(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string' },
      playbook: { type: 'string' },
      context: { type: 'string' },
      config: { type: 'string' },
      yes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const task = positionals.join(' ').trim();
  if (task === '') throw new UsageError('switchboard run "<task>": the task is missing');
  const context = parseContext(values.context);
  const hub = await startHub(values.config, { waitForAllUpstreams: true });
  try {
    if (values.role !== undefined) return await runRole(hub, values.role, task, context);
    const parsed = RunInputSchema.safeParse({ task, context, ...(values.playbook ? { playbook: values.playbook } : {}) });
    if (!parsed.success) throw new UsageError(`${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    hub.tasks.start();
    const view = await followRun(hub, parsed.data, { yes: values.yes, live: process.stderr.isTTY === true });
    if (values.json) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    else process.stdout.write(`${view.report ? renderReport(view.report) : renderView(view)}\n`);
    process.exitCode = view.status === 'succeeded' ? 0 : view.status === 'awaiting_approval' ? 3 : 1;
  } finally {
    await hub.close();
  }
}

function parseContext(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  const text = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8') : raw;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--context: JSON, or @file holding JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('--context: a JSON object');
  return value as Record<string, unknown>;
}

async function runRole(hub: Hub, role: string, task: string, context: Record<string, unknown>): Promise<void> {
  const tool = `agent__${role}`;
  if (!hub.has(tool)) throw new UsageError(`--role: no role '${role}' (roles: ${hub.roles.map((r) => r.name).join(', ') || 'none'})`);
  const args = Object.keys(context).length > 0 ? { task, context } : { task };
  const result = await hub.callTool(tool, args, { correlationId: randomUUID(), principal: hub.localPrincipal });
  const text = result.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`)).join('\n');
  (result.isError ? process.stderr : process.stdout).write(`${text}\n`);
  process.exitCode = result.isError ? 1 : 0;
}

/** Starts the run and follows it to its end, answering approvals with --yes or at the terminal. */
async function followRun(
  hub: Hub,
  input: ReturnType<typeof RunInputSchema.parse>,
  options: { yes: boolean; live: boolean },
): Promise<RunView> {
  const correlationId = randomUUID();
  const progress = new RunProgress(process.stderr, options.live);
  let runId: string | undefined;
  const offRun = hub.planner.onEvent((event) => (runId === undefined || event.runId === runId) && progress.runEvent(event));
  const offCalls = hub.onToolCall((call) => call.correlationId === correlationId && progress.toolCall(call));
  try {
    runId = (await hub.planner.start(input, { principal: hub.localPrincipal, correlationId })).runId;
    for (;;) {
      const view = await hub.planner.wait(runId, 60_000);
      if (view.final) return view;
      if (view.status !== 'awaiting_approval') continue;
      progress.finish();
      const decision = options.yes ? true : await ask(renderView(view));
      if (decision === undefined) return view;
      await hub.planner.decide(runId, {
        approved: decision,
        by: hub.localPrincipal.id,
        note: options.yes ? 'approved with --yes' : 'at the terminal',
      });
    }
  } finally {
    progress.finish();
    offRun();
    offCalls();
  }
}

/** y/N at the terminal; undefined when there is no terminal to ask. */
async function ask(question: string): Promise<boolean | undefined> {
  if (!process.stdin.isTTY) {
    process.stderr.write(`${question}\n(no terminal to ask: rerun with --yes, or approve it on a serving hub)\n`);
    return undefined;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question}\napprove? [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
