import { z } from 'zod';
import { ToolGlobSchema } from './policy-schema.ts';

/** Tags group tools across servers for profiles: upstream `tags:` plus hints from tool annotations. */
export const TagSchema = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'tags are lowercase letters, digits and dashes');

/** Profile names are URL path segments (`/mcp/<profile>`) and CLI arguments. */
export const ProfileNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'profile names are lowercase letters, digits and dashes');

/**
 * One way of picking tools: every field given must match (server AND tools AND tags); a bare string
 * is short for `{ tools: [<glob>] }`. `server` names an upstream, or `agent` (role agents) / `hub`
 * (the hub's own tools).
 */
const SelectorObjectSchema = z
  .strictObject({
    server: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .optional()
      .describe('upstream name(s); `agent` for role agents, `hub` for the hub’s own tools'),
    tools: z.array(ToolGlobSchema).min(1).optional().describe('globs over the names clients see, e.g. fs__read_*'),
    tags: z.array(TagSchema).min(1).optional().describe('any of these tags'),
  })
  .refine((s) => s.server !== undefined || s.tools !== undefined || s.tags !== undefined, {
    message: 'a selector needs at least one of server, tools, tags',
  });

export const SelectorSchema = z.union([ToolGlobSchema.transform((glob) => ({ tools: [glob] })), SelectorObjectSchema]);

export const ProfileSchema = z.strictObject({
  description: z.string().optional(),
  include: z.array(SelectorSchema).default([]).describe('tools matching any selector; empty: every tool'),
  exclude: z.array(SelectorSchema).default([]).describe('then drop tools matching any selector'),
  lazy: z
    .boolean()
    .default(false)
    .describe('tools/list shows only hub__* and agent__* tools plus hub__find_tools and hub__call_tool; the rest are found, then called'),
});

/**
 * Named views of the catalogue (what a client sees), served at `/mcp/<profile>` and by
 * `switchboard serve --stdio --profile NAME`. Independent of authorization, which still applies.
 */
export const ProfilesSchema = z.record(ProfileNameSchema, ProfileSchema).default({});

/** How upstream tools and prompts are named for clients. */
export const NamesSchema = z
  .strictObject({
    separator: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,4}$/, 'the separator is 1-4 of letters, digits, _ and - (what every client accepts)')
      .default('__')
      .describe('between upstream and tool name: fs__read_file'),
    file: z
      .string()
      .min(1)
      .optional()
      .describe('who keeps a contested name across restarts; default <hub.dataDir>/tool-names.json, relative to the config'),
  })
  .default({ separator: '__' });

export type ProfileSpec = z.infer<typeof ProfileSchema>;
export type SelectorSpec = z.infer<typeof SelectorSchema>;
export type NamesConfig = z.infer<typeof NamesSchema>;
