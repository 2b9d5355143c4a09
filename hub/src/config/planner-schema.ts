import { z } from 'zod';
import { ModelSpecSchema } from './role-schema.ts';

/** `planner:` in switchboard.yaml — how tasks become plans, where their progress is checkpointed. */
export const PlannerConfigSchema = z
  .strictObject({
    mode: z
      .enum(['deterministic', 'llm'])
      .default('deterministic')
      .describe('deterministic: plans from playbooks, no model; llm: plans and role agents use a chat model'),
    model: ModelSpecSchema.optional().describe('llm mode: the default chat model (provider:model), e.g. openai:gpt-4o-mini'),
    maxPlanAttempts: z.number().int().min(1).max(10).default(3).describe('llm mode: tries to get a valid structured plan'),
    maxSteps: z.number().int().min(1).max(200).default(20).describe('steps in one plan'),
    runTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(30 * 60_000)
      .describe('a run still unfinished after this is timed out'),
    discoveryThreshold: z
      .number()
      .int()
      .min(0)
      .default(30)
      .describe('llm mode: a role agent allowed more tools than this gets hub__find_tools and hub__call_tool instead of every schema'),
    watchRoles: z.boolean().default(true).describe('reload roles/*.yaml and roles/plans/*.yaml when they change'),
    checkpoint: z
      .strictObject({
        store: z.enum(['sqlite', 'postgres', 'memory']).default('sqlite'),
        path: z.string().min(1).default('planner.db').describe('sqlite: the file, relative to hub.dataDir'),
        url: z.string().min(1).optional().describe('postgres: connection URL, e.g. ${DATABASE_URL}'),
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier')
          .default('switchboard_planner'),
      })
      .superRefine((c, ctx) => {
        if (c.store === 'postgres' && c.url === undefined)
          ctx.addIssue({ code: 'custom', path: ['url'], message: 'store: postgres needs url (e.g. url: ${DATABASE_URL})' });
      })
      .prefault({})
      .describe('where run state is checkpointed, so a run survives a hub restart'),
  })
  .superRefine((planner, ctx) => {
    if (planner.mode === 'llm' && planner.model === undefined)
      ctx.addIssue({ code: 'custom', path: ['model'], message: 'mode: llm needs a model, e.g. model: openai:gpt-4o-mini' });
  })
  .prefault({});

export type PlannerConfig = z.infer<typeof PlannerConfigSchema>;
