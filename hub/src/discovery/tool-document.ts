import type { Tool } from '@modelcontextprotocol/client';
import type { ToolFacts } from '../catalog/index.ts';

/** One tool as the search index holds it: its hub name is the document id. */
export interface ToolDocument {
  id: string;
  text: string;
  metadata: { name: string; server: string; tags: string[] };
}

const MAX_FIELDS = 40;
const MAX_TEXT = 8_000;

/**
 * What a tool is searched by: its name split into words (`sql__list_tables` → "sql list tables"),
 * title, description, every input field with its description (nested ones too, a level deep), its
 * server and tags. Field descriptions carry most of a tool's vocabulary ("the SQL statement",
 * "bucket name"), so they are worth the length.
 */
export function toolDocument(tool: Tool, facts: ToolFacts): ToolDocument {
  const lines = [
    `${tool.name} — ${words(tool.name)}`,
    tool.title ?? '',
    tool.description ?? '',
    ...fieldLines(tool.inputSchema as JsonSchema),
    `server: ${facts.server}`,
    facts.tags.length > 0 ? `tags: ${facts.tags.join(', ')}` : '',
  ].filter((line) => line.trim() !== '');
  return {
    id: tool.name,
    text: lines.join('\n').slice(0, MAX_TEXT),
    metadata: { name: tool.name, server: facts.server, tags: [...facts.tags] },
  };
}

/** `fs__read_file` → "fs read file"; `listTables` → "list tables". */
export function words(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .toLowerCase();
}

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  description?: string;
  enum?: unknown[];
}

function fieldLines(schema: JsonSchema | undefined, prefix = '', depth = 0): string[] {
  if (schema?.properties === undefined || depth > 1) return [];
  const lines: string[] = [];
  for (const [key, field] of Object.entries(schema.properties).slice(0, MAX_FIELDS)) {
    const choices = Array.isArray(field.enum) ? ` (one of ${field.enum.slice(0, 12).join(', ')})` : '';
    lines.push(`${prefix}${key}: ${field.description ?? words(key)}${choices}`);
    lines.push(...fieldLines(field.items ?? field, `${prefix}${key}.`, depth + 1));
  }
  return lines;
}
