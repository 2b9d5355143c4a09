import { z } from 'zod';
import { ArgumentRuleSchema, RoleNameSchema, ToolGlobSchema, ToolRulesSchema } from './policy-schema.ts';

const validRegExp = (pattern: string) => {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
};

/** A `when:` condition, e.g. `steps.run.structured.exitCode != 0 && round > 1` (see docs/planner.md). */
export const ConditionSchema = z
  .string()
  .min(1)
  .max(500)
  .describe('condition on the task, context and earlier results; the step runs only when it holds');

const StepIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'step ids are 1-64 letters, digits, _ or -');

const ToolStepSchema = z.strictObject({
  id: StepIdSchema.optional().describe('names the result for later steps: {{steps.<id>.structured.x}}'),
  tool: z.string().min(1).describe('the tool to call, e.g. fs__read_file'),
  arguments: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('arguments; strings may use {{var}}, {{a.b[0]}}, {{var:-default}}; { $json: … } renders JSON text'),
  when: ConditionSchema.optional(),
});

const FailStepSchema = z.strictObject({
  id: StepIdSchema.optional(),
  fail: z.string().min(1).describe('ends the agent with CHECK_FAILED and this (templated) message when `when` holds'),
  when: ConditionSchema,
});

export const PlaybookStepSchema = z.union([ToolStepSchema, FailStepSchema], {
  error: 'a playbook step is { tool, arguments, when? } or { fail, when }',
});

export const PlaybookSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  match: z
    .string()
    .min(1)
    .refine(validRegExp, { message: 'not a valid regular expression' })
    .describe('regular expression (case-insensitive) matched against the task; named groups feed the templates'),
  priority: z.number().int().min(-1000).max(1000).default(0).describe('when several roles match a task, the highest priority wins'),
  steps: z
    .array(PlaybookStepSchema)
    .default([])
    .describe('tool calls in order; none = answer from the retrieved context (the role must declare `context`)'),
  answer: z.string().optional().describe('the answer text (templated); default: the text of every tool result'),
  output: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('structured output (templated), e.g. artifact keys; the planner collects `artifacts` from it'),
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

/** `provider:model` (e.g. `openai:gpt-4o-mini`, `anthropic:claude-sonnet-4-5`), or that with endpoint settings. */
export const ModelSpecSchema = z.union([
  z.string().regex(/^[a-z_-]+:\S+$/, 'provider:model, e.g. openai:gpt-4o-mini'),
  z.strictObject({
    model: z.string().regex(/^[a-z_-]+:\S+$/, 'provider:model, e.g. openai:llama3.1'),
    baseUrl: z.url().optional().describe('OpenAI-compatible endpoint (Ollama, vLLM: http://127.0.0.1:11434/v1) or Anthropic API URL'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional()
      .describe('environment variable holding the API key (keys never go in YAML)'),
    temperature: z.number().min(0).max(2).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
  }),
]);

export const LimitsSchema = z
  .strictObject({
    maxSteps: z.number().int().positive().max(1000).default(10).describe('playbook steps, or model turns in LLM mode'),
    maxToolCalls: z.number().int().positive().max(10_000).default(20).describe('tool calls in one run of the agent'),
    timeoutMs: z.number().int().positive().default(60_000),
    maxTokens: z.number().int().positive().default(200_000).describe('LLM mode: tokens (prompt + completion) in one run'),
  })
  .prefault({});

export const RoleSchema = z.strictObject({
  name: RoleNameSchema,
  description: z.string().min(1).describe('becomes the description of the agent__<name> tool'),
  tools: ToolRulesSchema,
  arguments: z.array(ArgumentRuleSchema).default([]).describe('argument rules: which values the allowed tools may be called with'),
  prompt: z.string().optional().describe('system prompt for LLM mode'),
  model: ModelSpecSchema.optional().describe("LLM mode: this role's chat model, overriding planner.model"),
  limits: LimitsSchema,
  requiresApproval: z
    .union([z.boolean(), z.array(ToolGlobSchema).min(1)])
    .default(false)
    .describe('true: every run of this role waits for a human; tool globs: runs that may call these tools wait'),
  playbooks: z.array(PlaybookSchema).default([]),
  context: RoleContextSchema.optional().describe('retrieve passages for the task from a rag collection and inject them before acting'),
});

export type Role = z.infer<typeof RoleSchema>;
export type Playbook = z.infer<typeof PlaybookSchema>;
export type PlaybookStep = z.infer<typeof PlaybookStepSchema>;
export type RoleContext = z.infer<typeof RoleContextSchema>;
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type RoleLimits = z.infer<typeof LimitsSchema>;
