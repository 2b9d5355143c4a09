import type { CallToolResult } from '@modelcontextprotocol/client';
import { RoleSchema } from '../../config/index.ts';
import type { DagSubmission } from '../../scheduler/contracts.ts';
import type { TaskView } from '../../scheduler/index.ts';
import { failureResult } from '../agent/types.ts';
import type { RunDeps, RunEvent } from './deps.ts';
import type { RunInput, RunPrincipal } from './plan-model.ts';

/** Roles for planner tests: no tools are called, the fake `callAgent` answers for them. */
export const testRoles = [
  { name: 'coder', description: 'writes code', tools: { allow: ['fs__*'] } },
  { name: 'tester', description: 'runs tests', tools: { allow: ['shell__run'] } },
  { name: 'archivist', description: 'stores artifacts', tools: { allow: ['s3__put_object'] } },
  { name: 'reviewer', description: 'reviews', tools: { allow: ['fs__read_file'] } },
  { name: 'ops', description: 'operates hosts', tools: { allow: ['shell__run'] }, requiresApproval: true },
].map((r) => RoleSchema.parse(r));

export const principal: RunPrincipal = { id: 'local:tester', role: 'admin', kind: 'local' };

export type AgentScript = (role: string, input: { task: string; context: Record<string, unknown> }) => CallToolResult;

export const ok = (answer: string, output?: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text: answer }],
  structuredContent: { role: 'x', answer, plan: 'p', steps: [], ...(output ? { output } : {}) },
});

export const fail = (code: string, message: string): CallToolResult => failureResult({ code, message });

/**
 * Fake hub for the run graph: agent calls answer from `script`; a DAG runs its steps in dependency
 * order through the same script (a failed step fails its dependants with DEPENDENCY_FAILED).
 */
export function fakeDeps(script: AgentScript, overrides: Partial<RunDeps> = {}) {
  const calls: { role: string; task: string; context: Record<string, unknown>; via: 'direct' | 'dag' }[] = [];
  const events: RunEvent[] = [];
  const dags: DagSubmission[] = [];
  const deps: RunDeps = {
    roles: () => testRoles,
    plans: () => [],
    settings: { mode: 'deterministic', maxSteps: 20, maxPlanAttempts: 3 },
    plannerModel: async () => undefined,
    callAgent: async (role, input) => {
      calls.push({ role, ...input, via: 'direct' });
      return script(role, input);
    },
    runDag: async (submission, _call, onStep) => {
      dags.push(submission);
      const states = new Map<string, { state: string; result: CallToolResult | null; error: { code: string; message: string } | null }>();
      const pending = [...submission.steps];
      while (pending.length > 0) {
        const index = pending.findIndex((s) => (s.dependsOn ?? []).every((d) => states.has(d)));
        const step = pending.splice(index, 1)[0] as (typeof pending)[number];
        const blocked = (step.dependsOn ?? []).find((d) => states.get(d)?.state !== 'succeeded');
        if (blocked) {
          states.set(step.id, {
            state: 'failed',
            result: null,
            error: { code: 'DEPENDENCY_FAILED', message: `dependency '${blocked}' failed` },
          });
          continue;
        }
        onStep({ stepId: step.id, state: 'running' });
        const role = step.target.replace(/^agent__/, '');
        const input = step.input as { task: string; context: Record<string, unknown> };
        calls.push({ role, ...input, via: 'dag' });
        const result = script(role, input);
        const error = result.isError ? ((result._meta?.['switchboard/error'] as { code: string; message: string }) ?? null) : null;
        states.set(step.id, { state: result.isError ? 'failed' : 'succeeded', result: result.isError ? null : result, error });
        onStep({ stepId: step.id, state: result.isError ? 'failed' : 'succeeded' });
      }
      return {
        id: `dag-${dags.length}`,
        kind: 'dag',
        state: [...states.values()].every((s) => s.state === 'succeeded') ? 'succeeded' : 'failed',
        steps: submission.steps.map((s, i) => ({
          id: s.id,
          taskId: `task-${dags.length}-${i}`,
          state: states.get(s.id)?.state,
          attempts: 1,
          dependsOn: s.dependsOn ?? [],
          result: states.get(s.id)?.result ?? null,
          error: states.get(s.id)?.error ?? null,
        })),
      } as TaskView;
    },
    emit: (event) => events.push(event),
    ...overrides,
  };
  return { deps, calls, events, dags };
}

export function runInput(task: string, extra: Partial<RunInput> = {}): RunInput {
  return { task, context: {}, ...extra };
}

export function startState(runId: string, input: RunInput) {
  return { runId, task: input.task, input, principal, correlationId: `corr-${runId}` };
}
