import { ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { Role } from '../config/index.ts';
import { renderTemplate } from './template.ts';

export interface PlannedStep {
  tool: string;
  arguments: Record<string, unknown>;
}

export interface Plan {
  /** The playbook chosen, or `explicit` when the caller gave the steps. */
  source: string;
  steps: PlannedStep[];
}

const ExplicitStepsSchema = z
  .array(z.strictObject({ tool: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) }))
  .min(1);

/**
 * The no-LLM planner: the caller's explicit `context.steps`, or the first of the role's playbooks
 * whose pattern matches the task, with its named groups filled into the step templates (and
 * `extraVars`, e.g. `{{context}}` and `{{sources}}` from retrieved passages).
 */
export function planDeterministically(
  role: Role,
  task: string,
  context: Record<string, unknown>,
  extraVars: Record<string, string> = {},
): Plan {
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
    return { source: 'explicit', steps: parsed.data };
  }
  const trimmed = task.trim();
  for (const playbook of role.playbooks) {
    const match = new RegExp(playbook.match, 'i').exec(trimmed);
    if (!match) continue;
    const vars = { ...extraVars, task: trimmed, ...(match.groups ?? {}) };
    const steps = playbook.steps.map((step) => ({
      tool: step.tool,
      arguments: renderTemplate(step.arguments, vars) as Record<string, unknown>,
    }));
    return { source: playbook.name, steps };
  }
  const known = role.playbooks.map((p) => p.description ?? p.name).join('; ');
  throw new ToolError(
    'INVALID_ARGUMENT',
    `role '${role.name}' has no playbook for this task${known ? ` (it knows: ${known})` : ''}; give explicit context.steps or rephrase`,
    'task',
  );
}
