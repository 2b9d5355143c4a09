import type { ProfileSpec, SelectorSpec } from '../config/index.ts';
import { ConfigError } from '../config/index.ts';
import { matchesAnyGlob } from '../policy/glob.ts';

/** What a profile looks at in a tool: its hub name, the server it comes from, and its tags. */
export interface ToolFacts {
  name: string;
  /** The upstream's name; `agent` for role agents, `hub` for the hub's own tools. */
  server: string;
  tags: readonly string[];
}

/** Pseudo-server names for the tools the hub serves itself. */
export const AGENT_SERVER = 'agent';
export const HUB_SERVER = 'hub';

/**
 * Which tools a client sees: a named profile (`include` any selector, then `exclude` any) and/or a
 * list of globs the client asked for (`?tools=fs__*,agent__*`). What a client sees is not what it
 * may do: the caller's role still decides, on top of this.
 */
export class ToolView {
  static readonly ALL = new ToolView(undefined, []);

  constructor(
    readonly profile: { name: string; spec: ProfileSpec } | undefined,
    /** Globs narrowing further; empty: no narrowing. */
    readonly narrow: readonly string[],
  ) {}

  /** A stable description, so a session opened on one view is not used on another. */
  get key(): string {
    return `${this.profile?.name ?? ''}?${this.narrow.join(',')}`;
  }

  /** `lazy: true`: tools/list shows the hub's and agents' tools and discovery; the rest are found, then called. */
  get lazy(): boolean {
    return this.profile?.spec.lazy === true;
  }

  get isAll(): boolean {
    return this.profile === undefined && this.narrow.length === 0;
  }

  admits(tool: ToolFacts): boolean {
    if (this.narrow.length > 0 && matchesAnyGlob(tool.name, this.narrow) === undefined) return false;
    const spec = this.profile?.spec;
    if (spec === undefined) return true;
    if (spec.include.length > 0 && !spec.include.some((selector) => selects(selector, tool))) return false;
    return !spec.exclude.some((selector) => selects(selector, tool));
  }
}

function selects(selector: SelectorSpec, tool: ToolFacts): boolean {
  if ('server' in selector && selector.server !== undefined && !selector.server.includes(tool.server)) return false;
  if (selector.tools !== undefined && matchesAnyGlob(tool.name, selector.tools) === undefined) return false;
  if ('tags' in selector && selector.tags !== undefined && !selector.tags.some((tag) => tool.tags.includes(tag))) return false;
  return true;
}

/** `?tools=a*,b` → globs, refusing characters no tool name has (so a typo is an error, not an empty list). */
export function parseToolsParam(value: string | null | undefined): string[] | { error: string } {
  if (value === null || value === undefined || value.trim() === '') return [];
  const globs = value
    .split(',')
    .map((glob) => glob.trim())
    .filter((glob) => glob !== '');
  const bad = globs.find((glob) => !/^[A-Za-z0-9_*?-]{1,128}$/.test(glob));
  if (bad !== undefined) return { error: `tools: '${bad}' is not a tool glob (letters, digits, _, -, * and ?, comma-separated)` };
  return globs;
}

/**
 * Checks every profile against the configured upstreams (a misspelt server name would silently
 * select nothing) and returns them by name.
 */
export function loadProfiles(
  profiles: Record<string, ProfileSpec>,
  upstreams: readonly string[],
  source: string,
): Map<string, { name: string; spec: ProfileSpec }> {
  const known = new Set([...upstreams, AGENT_SERVER, HUB_SERVER]);
  for (const [name, spec] of Object.entries(profiles)) {
    for (const part of ['include', 'exclude'] as const) {
      spec[part].forEach((selector, i) => {
        const unknown = ('server' in selector ? (selector.server ?? []) : []).find((server) => !known.has(server));
        if (unknown !== undefined)
          throw new ConfigError(
            source,
            `profiles.${name}.${part}[${i}].server`,
            `no upstream '${unknown}' (upstreams: ${[...known].sort().join(', ')})`,
          );
      });
    }
  }
  return new Map(Object.entries(profiles).map(([name, spec]) => [name, { name, spec }]));
}

/** Tags a tool carries by its own annotations, beside its upstream's configured tags. */
export function annotationTags(
  annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean } | undefined,
): string[] {
  if (annotations === undefined) return [];
  const tags: string[] = [];
  if (annotations.readOnlyHint === true) tags.push('read-only');
  if (annotations.destructiveHint === true && annotations.readOnlyHint !== true) tags.push('destructive');
  if (annotations.idempotentHint === true) tags.push('idempotent');
  if (annotations.openWorldHint === true) tags.push('open-world');
  return tags;
}
