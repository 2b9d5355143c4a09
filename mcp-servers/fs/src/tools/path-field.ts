import { ToolError } from '@switchboard/kit';
import { z } from 'zod';

/** The `path` argument, its description carrying the scope so a model can see it. */
export function pathField(scope: string, what = 'file'): z.ZodString {
  return z.string().max(4096).describe(`path of the ${what}. ${scope}`);
}

export function refuseWhenReadOnly(readOnly: boolean, tool: string): void {
  if (readOnly) throw new ToolError('READ_ONLY', `${tool} is refused: this fs server is read-only`);
}
