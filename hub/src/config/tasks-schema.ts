import { z } from 'zod';

/** `tasks:` in switchboard.yaml — where tasks are stored and how this hub runs them. */
export const TasksConfigSchema = z
  .strictObject({
    store: z
      .enum(['memory', 'sqlite', 'postgres'])
      .default('sqlite')
      .describe('sqlite: a file under hub.dataDir (default); postgres: shared by several hubs'),
    path: z.string().min(1).default('tasks.db').describe('sqlite: the database file, relative to hub.dataDir'),
    url: z.string().min(1).optional().describe('postgres: connection URL, e.g. ${DATABASE_URL}'),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier')
      .default('switchboard')
      .describe('postgres: schema holding the task tables'),
    poolSize: z.number().int().min(1).max(100).default(10),
    workers: z.number().int().min(0).max(32).default(2).describe('claim loops in this hub (0: accept tasks, run none)'),
    concurrency: z.number().int().min(1).max(10_000).default(16).describe('tool calls running at once in this hub'),
    roleConcurrency: z
      .record(z.string(), z.number().int().min(1))
      .default({})
      .describe('per-role caps in this hub; `default` for the rest'),
    leaseMs: z.number().int().min(1000).default(30_000).describe('a task whose hub stops renewing for this long returns to the queue'),
    pollMs: z.number().int().min(10).default(1000).describe('how often an idle worker looks for work other hubs queued'),
    sweepMs: z.number().int().min(10).default(1000).describe('how often deadlines and expired leases are checked'),
    claimBatch: z.number().int().min(1).max(1000).default(32),
    claimsInFlight: z
      .number()
      .int()
      .min(0)
      .max(32)
      .default(2)
      .describe('claim statements out at once from this hub; loops that want to claim meanwhile share the next (0: one per loop)'),
    retryBudget: z
      .union([
        z.literal(false),
        z.strictObject({
          ratio: z.number().min(0).max(10).default(0.2).describe('retries allowed per first attempt in the window'),
          minPerSecond: z.number().min(0).default(10).describe('retries per second always allowed'),
          windowMs: z.number().int().min(1000).default(10_000),
        }),
      ])
      .default({ ratio: 0.2, minPerSecond: 10, windowMs: 10_000 })
      .describe(
        'caps retries of failed attempts in this hub (false: only maxAttempts); a refused retry fails its task RETRY_BUDGET_EXHAUSTED',
      ),
  })
  .superRefine((tasks, ctx) => {
    if (tasks.store === 'postgres' && tasks.url === undefined)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'store: postgres needs url (e.g. url: ${DATABASE_URL})' });
  })
  .prefault({});

export type TasksConfig = z.infer<typeof TasksConfigSchema>;
