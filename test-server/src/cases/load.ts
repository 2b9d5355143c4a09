import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type CaseDefinition, CaseSchema } from './schema.ts';

/** One case file: parsed, or the reason it could not be (naming the file and the key). */
export type LoadedCase =
  | { ok: true; file: string; name: string; definition: CaseDefinition }
  | { ok: false; file: string; name: string; error: string };

const caseFile = /\.ya?ml$/;

/** Loads every `*.yaml` / `*.yml` directly in `dir`, sorted by file name. A bad file never throws. */
export async function loadCases(dir: string): Promise<LoadedCase[]> {
  const files = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && caseFile.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(files.map(async (file) => parseCaseFile(file, await readFile(join(dir, file), 'utf8'))));
}

/** Parses one case file's text; `file` is its base name, which the case's `name` must match. */
export function parseCaseFile(file: string, source: string): LoadedCase {
  const name = file.replace(caseFile, '');
  const document = parseDocument(source, { prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError !== undefined) return { ok: false, file, name, error: `${file}: invalid YAML: ${yamlError.message}` };
  const result = CaseSchema.safeParse(document.toJS());
  if (!result.success) return { ok: false, file, name, error: `${file}: ${formatIssues(result.error.issues)}` };
  if (result.data.name !== name) {
    return { ok: false, file, name, error: `${file}: name: '${result.data.name}' must equal the file name without extension ('${name}')` };
  }
  return { ok: true, file, name, definition: result.data };
}

/** `steps[0].expect.txt: unknown key; steps[1].tool: Invalid input …` — each issue led by the key it is about. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`).join('; ');
      }
      return `${formatPath(issue.path)}: ${issue.message}`;
    })
    .join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
