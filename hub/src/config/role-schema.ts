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
  steps: z
    .array(PlaybookStepSchema)
    .default([])
    .describe('tool calls in order; none = answer from the retrieved context (the role must declare `context`)'),
});

/** `context:` — what the hub retrieves from a rag collection, with source ids, before the agent acts. */
export const RoleContextSchema = z.strictObject({
  collection: z.string().min(1).max(64).describe('the rag collection to retrieve from'),
  k: z.number().int().min(1).max(20).default(4).describe('how many passages to inject'),
  mode: z.enum(['hybrid', 'vector', 'lexical']).default('hybrid'),
  server: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,23}$/, 'an upstream name')
    .default('rag')
    .describe('the upstream serving the collection; the agent calls <server>__search, so tools.allow must grant it'),
  filter: z.record(z.string(), z.unknown()).optional().describe('metadata filter passed to search'),
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
  context: RoleContextSchema.optional().describe('retrieve passages for the task from a rag collection and inject them before acting'),
});

export type Role = z.infer<typeof RoleSchema>;
export type Playbook = z.infer<typeof PlaybookSchema>;
export type PlaybookStep = z.infer<typeof PlaybookStepSchema>;
export type RoleContext = z.infer<typeof RoleContextSchema>;
