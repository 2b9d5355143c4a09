import type { CallToolResult } from '@modelcontextprotocol/server';

/** A successful tool result: structured content plus a short text rendering of it. */
export function structuredResult<T extends Record<string, unknown>>(structured: T, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}
