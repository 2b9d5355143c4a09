import { z } from 'zod';
import { DiscoverySchema } from './discovery-schema.ts';
import { NamesSchema, ProfilesSchema } from './exposure-schema.ts';
import { authNoneRefusal, isLoopbackHost } from './loopback.ts';
import { PlannerConfigSchema } from './planner-schema.ts';
import { httpFaceFields, hubResilienceFields, TelemetrySchema, upstreamResilienceFields } from './resilience-schema.ts';
import { AuditSchema, AuthSchema, PolicySchema, PrincipalsSchema, QuotaRuleSchema } from './security-schema.ts';
import { TasksConfigSchema } from './tasks-schema.ts';
import { httpUpstreamAccessFields, upstreamExposureFields } from './upstream-access-schema.ts';

/** Upstream names become tool prefixes (`<name>__<tool>`), so they must be short and unambiguous. */
export const UpstreamNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,23}$/,
    'upstream names are lowercase letters, digits and dashes, starting with a letter, at most 24 characters',
  );

const common = {
  timeoutMs: z.number().int().positive().default(30_000).describe('per-call timeout'),
  env: z.record(z.string(), z.string()).default({}).describe('extra environment for a spawned server'),
  ...upstreamResilienceFields,
  ...upstreamExposureFields,
};

const BuiltinUpstreamSchema = z.strictObject({
  server: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/)
    .describe('a built-in Switchboard server, spawned as `switchboard server <name>`'),
  args: z.array(z.string()).default([]),
  cwd: z.string().optional(),
  ...common,
});

const CommandUpstreamSchema = z.strictObject({
  command: z.string().min(1).describe('any MCP server speaking stdio'),
  args: z.array(z.string()).default([]),
  cwd: z.string().optional(),
  ...common,
});

const HttpUpstreamSchema = z.strictObject({
  url: z.url().describe('a remote MCP server (Streamable HTTP)'),
  headers: z.record(z.string(), z.string()).default({}),
  ...httpUpstreamAccessFields,
  ...common,
});

export const UpstreamSchema = z.union([BuiltinUpstreamSchema, CommandUpstreamSchema, HttpUpstreamSchema], {
  error: 'an upstream needs exactly one of `server` (built-in), `command` (stdio) or `url` (HTTP)',
});

export const HubConfigSchema = z
  .strictObject({
    hub: z
      .strictObject({
        name: z.string().min(1).default('switchboard'),
        http: z
          .strictObject({
            host: z.string().min(1).default('127.0.0.1'),
            // `${SWITCHBOARD_PORT:-7700}` interpolates to a string: accept digits as the number they spell
            port: z
              .preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.number().int().min(0).max(65535))
              .default(7700),
            ...httpFaceFields,
          })
          .default({ host: '127.0.0.1', port: 7700 }),
        dataDir: z.string().min(1).default('./data').describe('audit log and other state, relative to the config file'),
        ...hubResilienceFields,
      })
      .default({ name: 'switchboard', http: { host: '127.0.0.1', port: 7700 }, dataDir: './data' }),
    roles: z.string().min(1).optional().describe('directory of role YAML files, relative to the config file'),
    upstreams: z.record(UpstreamNameSchema, UpstreamSchema).default({}),
    profiles: ProfilesSchema,
    discovery: DiscoverySchema,
    names: NamesSchema,
    tasks: TasksConfigSchema,
    planner: PlannerConfigSchema,
    telemetry: TelemetrySchema,
    auth: AuthSchema,
    principals: PrincipalsSchema,
    policy: PolicySchema,
    quotas: z.array(QuotaRuleSchema).default([]),
    audit: AuditSchema,
  })
  .superRefine((config, ctx) => {
    if (config.auth.mode === 'none' && !isLoopbackHost(config.hub.http.host))
      ctx.addIssue({ code: 'custom', path: ['auth'], message: authNoneRefusal(config.hub.http.host) });
  });

export type HubConfig = z.infer<typeof HubConfigSchema>;
export type UpstreamSpec = z.infer<typeof UpstreamSchema>;
