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
  // The name's words and the title lead and the title counts twice: they say what the tool does in
  // the fewest words, where descriptions also say how and what it refuses.
  const lines = [
    `${tool.name} — ${words(tool.name)}${tool.title ? `: ${tool.title}` : ''}`,
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

/** A server with fewer tools than this has no boilerplate worth telling apart. */
const MIN_TOOLS_FOR_BOILERPLATE = 4;

/**
 * Drops sentences most of a server's tools repeat — the scope and limits every tool of a server
 * states ("Results: at most 1000 rows …", "Collections allowed: …"). They are right for a model
 * calling the tool, but in a search they make every tool of the server match the same words
 * ("rows", "tables"), burying the one a request means. The name line is always kept.
 */
export function withoutBoilerplate(documents: readonly ToolDocument[]): ToolDocument[] {
  const byServer = new Map<string, ToolDocument[]>();
  for (const doc of documents) byServer.set(doc.metadata.server, [...(byServer.get(doc.metadata.server) ?? []), doc]);
  const common = new Map<string, Set<string>>();
  for (const [server, docs] of byServer) {
    if (docs.length < MIN_TOOLS_FOR_BOILERPLATE) continue;
    const counts = new Map<string, number>();
    for (const doc of docs) for (const sentence of new Set(sentencesOf(doc.text))) counts.set(sentence, (counts.get(sentence) ?? 0) + 1);
    common.set(server, new Set([...counts].filter(([, n]) => n * 2 > docs.length).map(([sentence]) => sentence)));
  }
  return documents.map((doc) => {
    const drop = common.get(doc.metadata.server);
    if (drop === undefined || drop.size === 0) return doc;
    const [first = '', ...rest] = doc.text.split('\n');
    const kept = rest
      .map((line) =>
        splitSentences(line)
          .filter((s) => !drop.has(normalise(s)))
          .join(' '),
      )
      .filter((line) => line.trim() !== '');
    return { ...doc, text: [first, ...kept].join('\n') };
  });
}

function sentencesOf(text: string): string[] {
  return text.split('\n').slice(1).flatMap(splitSentences).map(normalise);
}

/** Sentences of a line; a field line's `name:` prefix stays with its first sentence. */
function splitSentences(line: string): string[] {
  return line.split(/(?<=[.!?])\s+(?=[A-Z(])/).filter((s) => s.trim() !== '');
}

function normalise(sentence: string): string {
  return sentence
    .replace(/^[\w.]+:\s+/, '')
    .trim()
    .toLowerCase();
}
