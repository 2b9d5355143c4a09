import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, configErrorFromZod } from './errors.ts';
import { type Role, RoleSchema } from './role-schema.ts';

/** Parses one role file; the role's name must match the file name so `agent__<name>` is predictable. */
export function parseRole(text: string, source: string): Role {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new ConfigError(source, '', `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = RoleSchema.safeParse(raw);
  if (!parsed.success) throw configErrorFromZod(source, parsed.error);
  const expected = basename(source).replace(/\.ya?ml$/, '');
  if (parsed.data.name !== expected) throw new ConfigError(source, 'name', `must equal the file name '${expected}'`);
  const stepless = parsed.data.playbooks.findIndex((playbook) => playbook.steps.length === 0);
  if (stepless !== -1 && parsed.data.context === undefined)
    throw new ConfigError(
      source,
      `playbooks.${stepless}.steps`,
      'a playbook without steps answers from retrieved context: declare `context`',
    );
  return parsed.data;
}

/** Loads every `*.yaml` / `*.yml` in `dir`, sorted by name. Any bad file fails the whole load, naming it. */
export function loadRoles(dir: string | undefined): Role[] {
  if (dir === undefined) return [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  } catch (error) {
    throw new ConfigError(dir, '', `cannot read the roles directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return names.sort().map((name) => parseRole(readFileSync(join(dir, name), 'utf8'), join(dir, name)));
}
