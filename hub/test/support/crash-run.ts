import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Scheduler } from '../../src/scheduler/scheduler.ts';
import type { TaskStore } from '../../src/scheduler/store/types.ts';

const workerScript = join(import.meta.dirname, 'task-worker.ts');
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts a worker process; resolves once it says `ready`. */
export function spawnWorker(options: Record<string, unknown>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before ready: ${err}`)));
  });
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

export async function stopGently(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Submits n record tasks through an API-only scheduler (no workers), as a hub face would. */
export async function submitRecordTasks(scheduler: Scheduler, n: number, ms: number): Promise<string[]> {
  const { task } = await scheduler.submit({
    batch: Array.from({ length: n }, (_, i) => ({ target: 'test__record', input: { n: i, ms } })),
  });
  return (task.tasks ?? []).map((t) => t.id);
}

export async function allFinal(store: TaskStore, ids: string[]): Promise<boolean> {
  const tasks = await store.getTasks(ids);
  return tasks.every((t) => ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(t.state));
}
