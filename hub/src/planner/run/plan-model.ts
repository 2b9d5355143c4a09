import { z } from 'zod';
import type { Principal } from '../../policy/index.ts';

const StepId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'step ids are 1-64 letters, digits, _ or -');
const RoleName = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'a role name, e.g. coder');

/** One role call of a plan: also the shape an LLM planner must produce (structured output). */
export const PlanStepSchema = z.strictObject({
  id: StepId.describe('short unique id, e.g. code, test, archive'),
  role: RoleName.describe('the role that carries the step out'),
  task: z.string().min(1).max(10_000).describe('what that role should do, in words'),
  context: z.record(z.string(), z.unknown()).default({}).describe('data the role needs'),
  dependsOn: z.array(StepId).default([]).describe('ids of steps that must succeed first'),
});

/** What an LLM planner returns through its `submit_plan` tool. */
export const PlanOutputSchema = z.strictObject({
  steps: z.array(PlanStepSchema).min(1),
  acceptance: z.string().optional().describe('how to tell the task is done, for the reviewer'),
});

/** `hub__run_task` / `POST /v1/runs` / `switchboard run`: a task for the planner. */
export const RunInputSchema = z.strictObject({
  task: z.string().min(1).max(10_000).describe('what to do, in words'),
  playbook: z
    .string()
    .min(1)
    .max(120)
    .optional()
    .describe(
      'a plan template (roles/plans/<name>.yaml), a role (`coder`) or a role playbook (`coder/implement`); default: matched on the task',
    ),
  context: z.record(z.string(), z.unknown()).default({}).describe('data for the plan templates and every step'),
  steps: z.array(PlanStepSchema).min(1).max(200).optional().describe('an explicit plan instead of a planned one'),
});

export type PlanStep = z.infer<typeof PlanStepSchema>;
export type RunInput = z.infer<typeof RunInputSchema>;

export interface RunPlan {
  /** The plan template, `role/playbook`, `explicit` or `llm`. */
  source: string;
  steps: PlanStep[];
  review: { role?: string; maxRounds: number };
  acceptance?: string;
}

export type StepState = 'succeeded' | 'failed' | 'cancelled' | 'timed_out';

export interface StepOutcome {
  round: number;
  stepId: string;
  role: string;
  state: StepState;
  answer?: string;
  /** The role's structured output (`output:` of its playbook), e.g. `{ artifacts: {...} }`. */
  output?: Record<string, unknown>;
  error?: { code: string; message: string };
  /** The scheduler task that ran it (steps with dependencies run as a DAG). */
  taskId?: string;
  via: 'direct' | 'dag';
}

export interface Review {
  round: number;
  verdict: 'approved' | 'rejected';
  by: string;
  feedback?: string;
}

export interface Grant {
  stepId: string;
  role: string;
  by: string;
  at: string;
  note?: string;
}

export interface ApprovalRequest {
  kind: 'approval';
  runId: string;
  round: number;
  steps: { id: string; role: string; task: string; why: string }[];
}

export interface ApprovalDecision {
  approved: boolean;
  by: string;
  note?: string;
}

export type RunStatus = 'succeeded' | 'failed' | 'rejected';

export interface RunReport {
  runId: string;
  task: string;
  status: RunStatus;
  rounds: number;
  plan: { source: string; steps: PlanStep[] };
  steps: StepOutcome[];
  /** Every `artifacts` entry the steps' outputs declared, merged (later rounds win). */
  artifacts: Record<string, unknown>;
  reviews: Review[];
  approvals: Grant[];
  error?: { code: string; message: string };
  summary: string;
}

/** The identity a run's steps are called under (stored in the checkpoint, so plain JSON). */
export type RunPrincipal = Principal;

/** Why a plan cannot run: unknown role, duplicate id, unknown dependency, a cycle, too many steps. */
export function planProblem(steps: readonly PlanStep[], roles: ReadonlySet<string>, maxSteps: number): string | undefined {
  if (steps.length > maxSteps) return `the plan has ${steps.length} steps; at most ${maxSteps} (planner.maxSteps)`;
  const ids = new Set<string>();
  for (const [i, step] of steps.entries()) {
    if (ids.has(step.id)) return `steps[${i}].id: '${step.id}' is used twice`;
    ids.add(step.id);
    if (!roles.has(step.role)) return `steps[${i}].role: no role '${step.role}' (roles: ${[...roles].sort().join(', ')})`;
  }
  for (const [i, step] of steps.entries()) {
    for (const dep of step.dependsOn) {
      if (!ids.has(dep) || dep === step.id) return `steps[${i}].dependsOn: no other step '${dep}'`;
    }
  }
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return `the steps form a cycle: ${[...path.slice(path.indexOf(id)), id].join(' → ')}`;
    state.set(id, 'visiting');
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      const found = visit(dep, [...path, id]);
      if (found) return found;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const step of steps) {
    const cycle = visit(step.id, []);
    if (cycle) return cycle;
  }
  return undefined;
}
