import { z } from 'zod';
import { RoleNameSchema } from './policy-schema.ts';
import { ConditionSchema } from './role-schema.ts';

const StepIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'step ids are 1-64 letters, digits, _ or -');

/** One role call in a plan template; strings are templated with the task's match groups, `round`, `feedback`, `run`. */
export const PlanTemplateStepSchema = z.strictObject({
  id: StepIdSchema,
  role: RoleNameSchema.describe('the role agent that carries the step out (agent__<role>)'),
  task: z.string().min(1).describe('the task text given to the role (templated)'),
  context: z.record(z.string(), z.unknown()).default({}).describe('context given to the role (templated)'),
  dependsOn: z.array(StepIdSchema).default([]).describe('steps that must succeed first'),
  when: ConditionSchema.optional().describe('leave the step out of the plan unless this holds'),
});

export const ReviewSpecSchema = z
  .strictObject({
    role: RoleNameSchema.optional().describe('the reviewer role; without one, a round passes when every step succeeded'),
    maxRounds: z.number().int().min(1).max(10).default(2).describe('rounds in all: a rejected round goes back to plan with feedback'),
  })
  .prefault({});

/**
 * `roles/plans/<name>.yaml`: a multi-role plan for tasks matching `match` (or named explicitly as
 * `playbook`). The deterministic planner turns it into plan steps; see docs/planner.md.
 */
export const PlanTemplateSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'plan names are lowercase letters, digits and dashes'),
    description: z.string().optional(),
    match: z
      .string()
      .min(1)
      .refine(
        (pattern) => {
          try {
            new RegExp(pattern, 'i');
            return true;
          } catch {
            return false;
          }
        },
        { message: 'not a valid regular expression' },
      )
      .optional()
      .describe('regular expression (case-insensitive) on the task; named groups become template variables'),
    acceptance: z.string().optional().describe('what the reviewer checks, in words (given to the reviewer role)'),
    vars: z.record(z.string(), z.unknown()).default({}).describe('extra template variables (templated themselves)'),
    review: ReviewSpecSchema,
    steps: z.array(PlanTemplateStepSchema).min(1).max(50),
  })
  .superRefine((plan, ctx) => {
    const ids = new Set<string>();
    plan.steps.forEach((step, index) => {
      if (ids.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: `duplicate step id '${step.id}'` });
      ids.add(step.id);
    });
    plan.steps.forEach((step, index) => {
      step.dependsOn.forEach((dep, j) => {
        if (!ids.has(dep) || dep === step.id)
          ctx.addIssue({ code: 'custom', path: ['steps', index, 'dependsOn', j], message: `no step '${dep}' in this plan` });
      });
    });
  });

export type PlanTemplate = z.infer<typeof PlanTemplateSchema>;
export type PlanTemplateStep = z.infer<typeof PlanTemplateStepSchema>;
export type ReviewSpec = z.infer<typeof ReviewSpecSchema>;
