import type { PlanTemplate, Role } from '../../config/index.ts';
import { matchPlaybook } from '../agent/choose-playbook.ts';
import { evaluateCondition } from '../condition.ts';
import { renderTemplate, renderText, type Vars } from '../template.ts';
import { type PlanStep, planProblem, type RunInput, type RunPlan } from './plan-model.ts';

export class PlanError extends Error {
  override readonly name = 'PlanError';
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface PlanningContext {
  runId: string;
  round: number;
  feedback?: string;
  roles: readonly Role[];
  plans: readonly PlanTemplate[];
  maxSteps: number;
}

/**
 * The deterministic (no-LLM) planner. In order: the caller's explicit `steps`; the `playbook` named
 * (a plan template, a role, or `role/playbook`); the first plan template whose `match` fits the task;
 * else a one-step plan for the role whose playbook matches (highest `priority`, then role name).
 */
export function planDeterministically(input: RunInput, ctx: PlanningContext): RunPlan {
  const roleNames = new Set(ctx.roles.map((r) => r.name));
  const checked = (plan: RunPlan): RunPlan => {
    const problem = planProblem(plan.steps, roleNames, ctx.maxSteps);
    if (problem) throw new PlanError('INVALID_ARGUMENT', `plan '${plan.source}': ${problem}`, input.steps ? 'steps' : 'playbook');
    return plan;
  };
  if (input.steps) return checked({ source: 'explicit', steps: input.steps, review: { maxRounds: 1 } });
  const task = input.task.trim();
  if (input.playbook !== undefined) {
    const template = ctx.plans.find((p) => p.name === input.playbook);
    if (template) return checked(fromTemplate(template, input, ctx, template.match ? matchGroups(template.match, task) : {}));
    const [roleName, playbookName] = input.playbook.split('/');
    const role = ctx.roles.find((r) => r.name === roleName);
    const playbook = playbookName === undefined ? undefined : role?.playbooks.find((p) => p.name === playbookName);
    if (role === undefined || (playbookName !== undefined && playbook === undefined))
      throw new PlanError(
        'INVALID_ARGUMENT',
        `no plan or role playbook '${input.playbook}' (plans: ${ctx.plans.map((p) => p.name).join(', ') || 'none'}; roles: ${[...roleNames].join(', ')})`,
        'playbook',
      );
    return checked(singleStep(role, input, playbook?.name));
  }
  for (const template of ctx.plans) {
    if (template.match === undefined) continue;
    const groups = matchGroups(template.match, task);
    if (groups) return checked(fromTemplate(template, input, ctx, groups));
  }
  const candidates = ctx.roles
    .flatMap((role) => role.playbooks.map((playbook) => ({ role, playbook })))
    .filter(({ playbook }) => matchPlaybook(playbook, task) !== undefined)
    .sort((a, b) => b.playbook.priority - a.playbook.priority || a.role.name.localeCompare(b.role.name));
  const best = candidates[0];
  if (best) return checked(singleStep(best.role, input, best.playbook.name));
  throw new PlanError(
    'INVALID_ARGUMENT',
    `no plan template or role playbook matches this task; name one with \`playbook\` (plans: ${ctx.plans.map((p) => p.name).join(', ') || 'none'}), give explicit steps, or rephrase`,
    'task',
  );
}

function matchGroups(pattern: string, task: string): Record<string, string> | undefined {
  const match = new RegExp(pattern, 'i').exec(task);
  return match ? { ...(match.groups ?? {}) } : undefined;
}

function singleStep(role: Role, input: RunInput, playbook: string | undefined): RunPlan {
  const step: PlanStep = {
    id: role.name,
    role: role.name,
    task: input.task,
    context: { ...input.context, ...(playbook ? { playbook } : {}) },
    dependsOn: [],
  };
  return { source: playbook ? `${role.name}/${playbook}` : role.name, steps: [step], review: { maxRounds: 1 } };
}

/** Renders a plan template for this round: `when` filters steps; dependencies on dropped steps go. */
export function fromTemplate(template: PlanTemplate, input: RunInput, ctx: PlanningContext, groups: Record<string, string> = {}): RunPlan {
  const base: Vars = {
    ...input.context,
    ...groups,
    task: input.task.trim(),
    round: ctx.round,
    roundIndex: Math.max(0, ctx.round - 1),
    run: { id: ctx.runId },
    ...(ctx.feedback ? { feedback: ctx.feedback } : {}),
  };
  const vars: Vars = { ...base, ...(renderTemplate(template.vars, base) as Vars) };
  const kept = template.steps.filter((step) => {
    try {
      return step.when === undefined || evaluateCondition(step.when, vars);
    } catch (error) {
      throw new PlanError('INVALID_CONFIG', `plan '${template.name}': ${(error as Error).message}`);
    }
  });
  const ids = new Set(kept.map((s) => s.id));
  const steps = kept.map((step) => ({
    id: step.id,
    role: step.role,
    task: renderText(step.task, vars),
    context: { ...input.context, ...(renderTemplate(step.context, vars) as Record<string, unknown>) },
    dependsOn: step.dependsOn.filter((dep) => ids.has(dep)),
  }));
  return {
    source: template.name,
    steps,
    review: { ...(template.review.role ? { role: template.review.role } : {}), maxRounds: template.review.maxRounds },
    ...(template.acceptance ? { acceptance: renderText(template.acceptance, vars) } : {}),
  };
}
