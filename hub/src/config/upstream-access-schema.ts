import { z } from 'zod';
import { TagSchema } from './exposure-schema.ts';

const EnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

/**
 * A secret from exactly one place: inline (usually `${ENV}` interpolated), an environment variable
 * (`<NAME>`, or the file named by `<NAME>_FILE`, as container secrets are mounted), or a file
 * (relative to the config). Read at every (re)connect, so a rotated secret file is picked up.
 */
function secretFields<K extends string>(key: K) {
  return {
    [key]: z.string().min(1).optional(),
    [`${key}Env`]: EnvNameSchema.optional(),
    [`${key}File`]: z.string().min(1).optional(),
  } as Record<K | `${K}Env` | `${K}File`, z.ZodOptional<z.ZodString>>;
}

function exactlyOne(key: string) {
  return (spec: Record<string, unknown>) => [key, `${key}Env`, `${key}File`].filter((k) => spec[k] !== undefined).length === 1;
}

const BearerAuthSchema = z
  .strictObject({ type: z.literal('bearer'), ...secretFields('token') })
  .refine(exactlyOne('token'), { message: 'give exactly one of token, tokenEnv, tokenFile' });

const ClientCredentialsSchema = z
  .strictObject({
    type: z.literal('oauth-client-credentials'),
    tokenUrl: z.url().describe('the authorization server’s token endpoint'),
    clientId: z.string().min(1),
    ...secretFields('clientSecret'),
    scope: z.string().min(1).optional(),
    audience: z.string().min(1).optional().describe('sent as `audience` (Auth0, Okta and others want it)'),
    resource: z.url().optional().describe('RFC 8707 resource indicator: the upstream’s URL'),
    clientAuth: z
      .enum(['client_secret_basic', 'client_secret_post'])
      .default('client_secret_basic')
      .describe('how the client secret is sent to the token endpoint'),
  })
  .refine(exactlyOne('clientSecret'), { message: 'give exactly one of clientSecret, clientSecretEnv, clientSecretFile' });

/**
 * Credentials the hub presents to an HTTP upstream: its own, never its caller's (the caller's token
 * is for the hub only and is not passed through).
 */
export const UpstreamAuthSchema = z.discriminatedUnion('type', [BearerAuthSchema, ClientCredentialsSchema]);

/** Fields every upstream takes beside its transport: tags for profiles, and the protocol era. */
export const upstreamExposureFields = {
  tags: z.array(TagSchema).default([]).describe('tags on every tool of this upstream, for profiles'),
  era: z
    .enum(['auto', '2025', '2026'])
    .optional()
    .describe(
      'protocol era to speak: 2025 (initialize + session), 2026 (2026-07-28, stateless), auto (probe with server/discover, fall back to 2025); default auto, 2025 for built-in servers',
    ),
};

/** HTTP-only fields: headers whose values come from env / secret files, and auth. */
export const httpUpstreamAccessFields = {
  headersFromEnv: z
    .record(z.string().min(1), EnvNameSchema)
    .default({})
    .describe('header → environment variable holding its value (or <NAME>_FILE naming a file with it)'),
  auth: UpstreamAuthSchema.optional(),
};

export type UpstreamAuthSpec = z.infer<typeof UpstreamAuthSchema>;
