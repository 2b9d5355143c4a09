import { ToolError } from '@switchboard/kit';
import { z } from 'zod';

/** The `key` argument, its description carrying the scope so a model can see it. */
export function keyField(scope: string): z.ZodString {
  return z.string().describe(`the key. ${scope}`);
}

export function keysField(scope: string, maxItems: number) {
  return z.array(z.string()).min(1).max(maxItems).describe(`keys, 1 to ${maxItems}. ${scope}`);
}

export function valueField(maxBytes: number, what = 'the value'): z.ZodString {
  return z.string().describe(`${what}: UTF-8 text, at most ${maxBytes} bytes`);
}

export function refuseWhenReadOnly(readOnly: boolean, tool: string): void {
  if (readOnly) throw new ToolError('READ_ONLY', `${tool} is refused: this redis server is read-only`);
}

export const readAnnotations = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;
export const writeAnnotations = (destructive: boolean, idempotent: boolean) =>
  ({ readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: false }) as const;
