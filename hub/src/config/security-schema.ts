import { z } from 'zod';
import { AccessRoleSchema, RoleNameSchema, ToolGlobSchema } from './policy-schema.ts';

/** An API key is stored only as its SHA-256; `switchboard apikey` makes a key and prints the line. */
const ApiKeySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'key ids are letters, digits, ., _ and -'),
  role: RoleNameSchema,
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "the key's SHA-256 as 64 lowercase hex digits (`switchboard apikey` prints it); never the key itself"),
  description: z.string().optional(),
});

const HMAC = ['HS256', 'HS384', 'HS512'] as const;
const RSA = ['RS256', 'RS384', 'RS512'] as const;

const JwtSchema = z
  .strictObject({
    issuer: z.string().min(1).describe('the `iss` every token must carry'),
    audience: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('the `aud` a token must name (one of), usually the hub URL'),
    algorithms: z
      .array(z.enum([...HMAC, ...RSA]))
      .min(1)
      .optional(),
    secret: z.string().min(32, 'an HMAC secret needs at least 32 characters').optional(),
    publicKey: z.string().startsWith('-----BEGIN PUBLIC KEY-----', 'a PEM (SPKI) public key').optional(),
    publicKeyFile: z.string().min(1).optional().describe('PEM file, relative to the config file'),
    roleClaim: z.string().min(1).default('role'),
    subjectClaim: z.string().min(1).default('sub'),
    defaultRole: RoleNameSchema.optional().describe('role for a token without a role claim; unset: such tokens are refused'),
    clockToleranceSec: z.number().int().min(0).max(300).default(30),
  })
  .superRefine((jwt, ctx) => {
    const keys = [jwt.secret, jwt.publicKey, jwt.publicKeyFile].filter((k) => k !== undefined).length;
    if (keys !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of secret (HS*), publicKey or publicKeyFile (RS*)' });
    const hmac = jwt.secret !== undefined;
    const wrong = (jwt.algorithms ?? []).filter((alg) => (hmac ? !alg.startsWith('HS') : !alg.startsWith('RS')));
    if (wrong.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['algorithms'],
        message: `${wrong.join(', ')} cannot be verified with ${hmac ? 'a secret' : 'a public key'}`,
      });
  });

const AuthObjectSchema = z.strictObject(
  {
    mode: z.enum(['required', 'none']).default('required'),
    apiKeys: z.array(ApiKeySchema).default([]),
    jwt: JwtSchema.optional(),
    resource: z.url().optional().describe("the hub's public /mcp URL, for Protected Resource Metadata; default: from the request"),
    authorizationServers: z
      .array(z.url())
      .optional()
      .describe('advertised in Protected Resource Metadata; default: the JWT issuer if a URL'),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'auth is `none` or a mapping with apiKeys and/or jwt' : undefined) },
);

/** `auth: none` or a mapping; absent means tokens are required (and with no keys, nothing gets in). */
export const AuthSchema = z
  .preprocess((value) => (value === 'none' ? { mode: 'none' } : value), AuthObjectSchema)
  .default({ mode: 'required', apiKeys: [] });

export const PrincipalsSchema = z
  .strictObject({
    local: z
      .strictObject({
        role: RoleNameSchema.default('admin'),
        name: z.string().min(1).optional().describe('default: the OS user running the hub'),
      })
      .default({ role: 'admin' })
      .describe('the local user: stdio callers, the CLI, and HTTP callers when auth is none'),
  })
  .default({ local: { role: 'admin' } });

const PrincipalGlobSchema = z.string().min(1).max(200);

export const QuotaRuleSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    principals: z.array(PrincipalGlobSchema).default(['*']).describe('globs over principal ids: key:ci, jwt:alice, local:*, agent:*'),
    roles: z.array(RoleNameSchema).optional().describe('only principals with one of these roles'),
    tools: z.array(ToolGlobSchema).default(['*']),
    per: z.enum(['principal', 'all']).default('principal').describe('one budget per principal, or one shared by all matching'),
    callsPerMinute: z.number().int().positive().optional(),
    concurrent: z.number().int().positive().optional(),
    bytesPerMinute: z.number().int().positive().optional().describe('bytes of results returned'),
  })
  .refine((q) => q.callsPerMinute !== undefined || q.concurrent !== undefined || q.bytesPerMinute !== undefined, {
    message: 'set at least one of callsPerMinute, concurrent, bytesPerMinute',
  });

export const AuditSchema = z
  .strictObject({
    store: z.enum(['sqlite', 'postgres', 'memory']).default('sqlite'),
    path: z.string().min(1).optional().describe('SQLite file, relative to the config file; default <hub.dataDir>/audit.db'),
    url: z.string().min(1).optional().describe('Postgres connection URL (store: postgres)'),
    table: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/, 'a table name, optionally schema-qualified: audit or ops.audit')
      .default('switchboard_audit'),
  })
  .refine((a) => a.store !== 'postgres' || a.url !== undefined, { message: 'store: postgres needs url', path: ['url'] })
  .default({ store: 'sqlite', table: 'switchboard_audit' });

export const PolicySchema = z
  .strictObject({
    roles: z.record(RoleNameSchema, AccessRoleSchema).default({}).describe('access roles beside roles/*.yaml; `admin` is built in'),
  })
  .default({ roles: {} });

export type AuthConfig = z.infer<typeof AuthObjectSchema>;
export type JwtConfig = z.infer<typeof JwtSchema>;
export type ApiKeyConfig = z.infer<typeof ApiKeySchema>;
export type QuotaRule = z.infer<typeof QuotaRuleSchema>;
export type AuditConfig = z.infer<typeof AuditSchema>;
