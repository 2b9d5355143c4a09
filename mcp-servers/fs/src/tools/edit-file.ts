import { defineTool, ToolError } from '@switchboard/kit';
import { createTwoFilesPatch } from 'diff';
import { z } from 'zod';
import type { FsDeps } from '../deps.ts';
import { onPath } from '../errors.ts';
import { decodeText, readLimited } from '../read-limited.ts';
import { pathField, refuseWhenReadOnly } from './path-field.ts';

const EditSchema = z.strictObject({
  oldText: z.string().min(1).describe('exact text to find (whitespace and line endings included)'),
  newText: z.string().describe('text to put in its place'),
  replaceAll: z.boolean().default(false).describe('replace every occurrence; otherwise oldText must occur exactly once'),
});

export function editFileTool({ backend, confinement, config, scope }: FsDeps) {
  return defineTool({
    name: 'edit_file',
    title: 'Edit a text file',
    description: `Applies exact-text replacements to a UTF-8 file, in order, and answers a unified diff. Each oldText must occur exactly once (add surrounding lines to make it unique) unless replaceAll. All edits apply or none do; dryRun: true only previews the diff. The write is atomic and refused if the file changed meanwhile. ${scope}`,
    input: z.strictObject({
      path: pathField(scope),
      edits: z.array(EditSchema).min(1).max(100),
      dryRun: z.boolean().default(false).describe('answer the diff without writing'),
    }),
    output: z.object({ path: z.string(), diff: z.string(), replacements: z.number().int(), dryRun: z.boolean(), size: z.number().int() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async run({ path, edits, dryRun }) {
      if (!dryRun) refuseWhenReadOnly(config.readOnly, 'edit_file');
      const target = await confinement.resolve(path, { intent: dryRun ? 'read' : 'write' });
      const original = await readLimited(backend, target, config.maxReadBytes);
      const before = decodeText(original, target.shown, 'path');
      let after = before;
      let replacements = 0;
      for (const [index, edit] of edits.entries()) {
        const count = occurrences(after, edit.oldText);
        const field = `edits.${index}.oldText`;
        if (count === 0)
          throw new ToolError(
            'NOT_FOUND',
            `edit ${index}: oldText was not found in '${target.shown}' (after the earlier edits); read the file again`,
            field,
          );
        if (count > 1 && !edit.replaceAll)
          throw new ToolError(
            'INVALID_ARGUMENT',
            `edit ${index}: oldText occurs ${count} times in '${target.shown}'; add surrounding lines to make it unique, or set replaceAll`,
            field,
          );
        after = edit.replaceAll ? after.split(edit.oldText).join(edit.newText) : after.replace(edit.oldText, () => edit.newText);
        replacements += edit.replaceAll ? count : 1;
      }
      const data = new TextEncoder().encode(after);
      if (data.byteLength > config.maxWriteBytes)
        throw new ToolError(
          'TOO_LARGE',
          `the edited file would be ${data.byteLength} bytes, over the ${config.maxWriteBytes}-byte write limit`,
          'edits',
        );
      const diff = createTwoFilesPatch(target.shown, target.shown, before, after, undefined, undefined, { context: 3 });
      if (!dryRun) {
        // Compare before swap: an edit computed on content someone else has since changed is refused.
        const current = await readLimited(backend, target, config.maxReadBytes);
        if (Buffer.compare(Buffer.from(current), Buffer.from(original)) !== 0)
          throw new ToolError('INVALID_ARGUMENT', `'${target.shown}' changed while the edit was prepared; read it again and retry`, 'path');
        await onPath(target.shown, () => backend.writeFile(target.real, data, target.fence));
      }
      return {
        structured: { path: target.shown, diff, replacements, dryRun, size: data.byteLength },
        text: `${dryRun ? 'would apply' : 'applied'} ${replacements} replacement(s) to ${target.shown}\n${diff}`,
      };
    },
  });
}

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}
