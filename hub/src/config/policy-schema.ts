import { z } from 'zod';

/** Role names become `agent__<name>` tools and principal mappings, so they stay short and plain. */
export const RoleNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'role names are lowercase letters, digits and dashes');

export const ToolGlobSchema = z.string().regex(/^[A-Za-z0-9_*?-]+$/, 'a tool glob uses letters, digits, _, -, * and ?');

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);

const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const validRegExp = (pattern: string) => {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
};

/**
 * One constraint on one argument. Exactly one test: `glob` (path globs, `**` any depth, `*` within a
 * segment; the value is normalised first so `src/../etc` cannot pass `src/**`), `equals`, `oneOf`, or
 * `pattern` (a regular expression the whole string must match). A missing argument fails the rule
 * unless `optional: true`: rules fail closed.
 */
export const ArgumentConstraintSchema = z
  .strictObject({
    glob: oneOrMany(z.string().min(1)).optional(),
    equals: ScalarSchema.optional(),
    oneOf: z.array(ScalarSchema).min(1).optional(),
    pattern: z.string().min(1).refine(validRegExp, { message: 'not a valid regular expression' }).optional(),
    optional: z.boolean().default(false).describe('a call that leaves the argument out passes'),
  })
  .refine((c) => ['glob', 'equals', 'oneOf', 'pattern'].filter((k) => k in c && c[k as keyof typeof c] !== undefined).length === 1, {
    message: 'give exactly one of glob, equals, oneOf, pattern',
  });

/** `tools` (globs) that may be called only when every argument named in `where` passes its test. */
export const ArgumentRuleSchema = z.strictObject({
  tools: oneOrMany(ToolGlobSchema),
  where: z
    .record(z.string().min(1), ArgumentConstraintSchema)
    .refine((where) => Object.keys(where).length > 0, { message: 'name at least one argument' }),
  description: z.string().optional(),
});

export const ToolRulesSchema = z.strictObject({
  allow: z.array(ToolGlobSchema).default([]),
  deny: z.array(ToolGlobSchema).default([]),
});

/** An access role defined in switchboard.yaml (no agent tool): what its principals may call. */
export const AccessRoleSchema = z.strictObject({
  description: z.string().optional(),
  tools: ToolRulesSchema,
  arguments: z.array(ArgumentRuleSchema).default([]),
});

export type ArgumentConstraint = z.infer<typeof ArgumentConstraintSchema>;
export type ArgumentRule = z.infer<typeof ArgumentRuleSchema>;
export type AccessRoleSpec = z.infer<typeof AccessRoleSchema>;
