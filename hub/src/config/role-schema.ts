import { z } from 'zod';
import { ArgumentRuleSchema, RoleNameSchema, ToolRulesSchema } from './policy-schema.ts';

export const PlaybookStepSchema = z.strictObject({
  tool: z.string().min(1).describe('the tool to call, e.g. fs__read_file'),
  arguments: z.record(z.string(), z.unknown()).default({}).describe('arguments; string values may use {{group}} or {{group:-default}}'),
});

export const PlaybookSchema = z.strictObject({
  name: z.string().min(1),
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
    .describe('regular expression (case-insensitive) matched against the task; named groups feed the templates'),
  steps: z.array(PlaybookStepSchema).min(1),
});

export const RoleSchema = z.strictObject({
  name: RoleNameSchema,
  description: z.string().min(1).describe('becomes the description of the agent__<name> tool'),
  tools: ToolRulesSchema,
  arguments: z.array(ArgumentRuleSchema).default([]).describe('argument rules: which values the allowed tools may be called with'),
  prompt: z.string().optional().describe('system prompt for LLM mode'),
  limits: z
    .strictObject({
      maxSteps: z.number().int().positive().max(1000).default(10),
      timeoutMs: z.number().int().positive().default(60_000),
    })
    .default({ maxSteps: 10, timeoutMs: 60_000 }),
  playbooks: z.array(PlaybookSchema).default([]),
});

export type Role = z.infer<typeof RoleSchema>;
export type Playbook = z.infer<typeof PlaybookSchema>;
export type PlaybookStep = z.infer<typeof PlaybookStepSchema>;
