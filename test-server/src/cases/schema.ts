import { z } from 'zod';

/** `text: { contains | equals | matches }` — each given key is one assertion on the result's text. */
export const TextExpect = z
  .strictObject({
    contains: z.string().optional().describe('the text must contain this substring'),
    equals: z.string().optional().describe('the text must be exactly this'),
    matches: z.string().optional().describe('the text must match this regular expression (JavaScript syntax)'),
  })
  .refine((text) => text.contains !== undefined || text.equals !== undefined || text.matches !== undefined, {
    message: 'give at least one of contains, equals, matches',
  });

/** Assertions on a JSON value: a JSON Schema (ajv) and/or a subset deep-equal. */
export const JsonExpect = z
  .strictObject({
    schema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema the value must satisfy'),
    equals: z.unknown().optional().describe('partial deep-equal: every key given here must match; arrays match element by element'),
  })
  .refine((json) => json.schema !== undefined || json.equals !== undefined, { message: 'give schema and/or equals' });

const maxMs = z.number().int().positive().optional().describe('the call must answer within this many milliseconds');

export const ToolExpect = z.strictObject({
  isError: z.boolean().optional(),
  text: TextExpect.optional(),
  structured: JsonExpect.optional(),
  errorCode: z.string().min(1).optional().describe("the switchboard error code of an isError result, e.g. 'ACL_DENIED'"),
  maxMs,
  idempotent: z.boolean().optional().describe('call again with the same arguments: same isError, text and structuredContent'),
});

export const HttpExpect = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  json: JsonExpect.optional(),
  text: TextExpect.optional(),
  maxMs,
});

export const ListExpect = z.strictObject({
  includes: z.array(z.string()).optional().describe('tool names that must be listed'),
  excludes: z.array(z.string()).optional().describe('tool names that must not be listed'),
  maxMs,
});

const stepName = z.string().min(1).describe('names the step in the report and in every assertion');
const save = z
  .string()
  .regex(/^[A-Za-z_][\w-]*$/, 'save names are letters, digits, _ and - (e.g. "first_read")')
  .optional()
  .describe('keeps this step\'s result for later steps: "{{NAME.text}}", "{{NAME.structured.some.path}}"');

export const ToolStep = z.strictObject({
  name: stepName,
  tool: z.string().min(1).describe('tool name as the hub lists it, e.g. fs__read_file'),
  arguments: z.record(z.string(), z.unknown()).default({}),
  save,
  expect: ToolExpect.default({}),
});

export const HttpStep = z.strictObject({
  name: stepName,
  http: z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    path: z.string().startsWith('/', 'the path is relative to the hub origin and starts with "/"'),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional().describe('sent as JSON'),
  }),
  save,
  expect: HttpExpect.default({}),
});

export const ListStep = z.strictObject({
  name: stepName,
  list: z.literal('tools'),
  save,
  expect: ListExpect.default({}),
});

export type ToolStep = z.infer<typeof ToolStep>;
export type HttpStep = z.infer<typeof HttpStep>;
export type ListStep = z.infer<typeof ListStep>;
export type Step = ToolStep | HttpStep | ListStep;
export type StepKind = 'tool' | 'http' | 'list';

const stepKinds = { tool: ToolStep, http: HttpStep, list: ListStep } as const;

/** Picks the step's schema by which one of `tool` / `http` / `list` it has, so errors name the right keys. */
export const StepSchema = z.unknown().transform((value, ctx): Step => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'a step is a mapping with one of tool, http, list' });
    return z.NEVER;
  }
  const kinds = (Object.keys(stepKinds) as StepKind[]).filter((kind) => kind in value);
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? 'none' : kinds.join(' and ');
    ctx.addIssue({ code: 'custom', message: `a step has exactly one of tool, http, list (found ${found})` });
    return z.NEVER;
  }
  const result = stepKinds[kinds[0] as StepKind].safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

export const CaseSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'case names are lower-case file names (letters, digits, . _ -)'),
  description: z.string().default(''),
  steps: z.array(StepSchema).min(1, 'a case has at least one step'),
});

export type CaseDefinition = z.infer<typeof CaseSchema>;

/** The kind of a parsed step. */
export function stepKind(step: Step): StepKind {
  if ('tool' in step) return 'tool';
  if ('http' in step) return 'http';
  return 'list';
}
