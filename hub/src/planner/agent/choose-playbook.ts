import { ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { Playbook, PlaybookStep, Role } from '../../config/index.ts';
import type { Vars } from '../template.ts';

/** A step as the agent runs it: a playbook step (templated, maybe conditional) or an explicit call. */
export type PlannedStep = PlaybookStep & { explicit?: boolean };

export interface AgentPlan {
  /** The playbook chosen, or `explicit` when the caller gave the steps. */
  source: string;
  steps: PlannedStep[];
  /** Variables for the templates: the context, the match groups, `task`, `round`, `roundIndex`. */
  vars: Vars;
  playbook?: Playbook;
}

const ExplicitStepsSchema = z
  .array(z.strictObject({ tool: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) }))
  .min(1);

/** Whether a playbook matches: its regex on the task; returns the named groups. */
export function matchPlaybook(playbook: Playbook, task: string): Record<string, string> | undefined {
  const match = new RegExp(playbook.match, 'i').exec(task.trim());
  return match ? { ...(match.groups ?? {}) } : undefined;
}

/**
 * The no-LLM planner of a role: the caller's explicit `context.steps` (run as given, untemplated),
 * the playbook named by `context.playbook`, or the first playbook whose pattern matches the task.
 * Templates are rendered later, step by step, so a step can use the results of the ones before it.
 */
export function choosePlaybook(role: Role, task: string, context: Record<string, unknown>, extraVars: Vars = {}): AgentPlan {
  const trimmed = task.trim();
  const round = typeof context.round === 'number' ? context.round : 1;
  const base: Vars = { ...context, ...extraVars, task: trimmed, round, roundIndex: Math.max(0, round - 1), now: new Date().toISOString() };
  if (context.steps !== undefined) {
    const parsed = ExplicitStepsSchema.safeParse(context.steps);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ToolError(
        'INVALID_ARGUMENT',
        `context.steps${issue?.path.map((p) => `[${String(p)}]`).join('')}: ${issue?.message}`,
        'context.steps',
      );
    }
    return { source: 'explicit', steps: parsed.data.map((step) => ({ ...step, explicit: true })), vars: base };
  }
  if (typeof context.playbook === 'string') {
    const named = role.playbooks.find((p) => p.name === context.playbook);
    if (named === undefined)
      throw new ToolError(
        'INVALID_ARGUMENT',
        `role '${role.name}' has no playbook '${context.playbook}' (it has: ${role.playbooks.map((p) => p.name).join(', ') || 'none'})`,
        'context.playbook',
      );
    return { source: named.name, steps: named.steps, vars: { ...base, ...(matchPlaybook(named, trimmed) ?? {}) }, playbook: named };
  }
  for (const playbook of role.playbooks) {
    const groups = matchPlaybook(playbook, trimmed);
    if (groups === undefined) continue;
    return { source: playbook.name, steps: playbook.steps, vars: { ...base, ...groups }, playbook };
  }
  const known = role.playbooks.map((p) => p.description ?? p.name).join('; ');
  throw new ToolError(
    'INVALID_ARGUMENT',
    `role '${role.name}' has no playbook for this task${known ? ` (it knows: ${known})` : ''}; give explicit context.steps or rephrase`,
    'task',
  );
}

/** The tools a plan may call (for approvals decided before anything runs). */
export function toolsOf(steps: readonly PlannedStep[]): string[] {
  return [...new Set(steps.flatMap((step) => ('tool' in step ? [step.tool] : [])))];
}
