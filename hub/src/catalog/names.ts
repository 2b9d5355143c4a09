import { createHash } from 'node:crypto';

/** Many MCP clients refuse tool names longer than 64 characters. */
export const MAX_TOOL_NAME = 64;
export const SEPARATOR = '__';

/**
 * `<server>__<tool>`, shortened when over 64 characters: the tool part is cut and a short hash of the
 * full name appended, so two long names never collide and the same name always maps the same way.
 */
export function namespacedName(server: string, tool: string): string {
  const full = `${server}${SEPARATOR}${tool}`;
  if (full.length <= MAX_TOOL_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_TOOL_NAME - hash.length - 1)}_${hash}`;
}
