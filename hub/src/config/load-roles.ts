import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { checkCondition } from '../planner/condition.ts';
import { ConfigError, configErrorFromZod } from './errors.ts';
import { type PlanTemplate, PlanTemplateSchema } from './plan-schema.ts';
import { type Role, RoleSchema } from './role-schema.ts';

/** Plan templates live in `plans/` inside the roles directory: roles say who, plans say in which order. */
export const PLANS_SUBDIR = 'plans';

function parseYaml<S extends z.ZodType>(text: string, source: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new ConfigError(source, '', `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw configErrorFromZod(source, parsed.error);
  return parsed.data;
}

function expectFileName(source: string, name: string): void {
  const expected = basename(source).replace(/\.ya?ml$/, '');
  if (name !== expected) throw new ConfigError(source, 'name', `must equal the file name '${expected}'`);
}

/** A `when:` that cannot be parsed is a config error at load time, not a failed run later. */
function checkWhen(source: string, key: string, condition: string | undefined): void {
  if (condition === undefined) return;
  try {
    checkCondition(condition);
  } catch (error) {
    throw new ConfigError(source, key, (error as Error).message);
  }
}

/** Parses one role file; the role's name must match the file name so `agent__<name>` is predictable. */
export function parseRole(text: string, source: string): Role {
  const role = parseYaml(text, source, RoleSchema);
  expectFileName(source, role.name);
  const stepless = role.playbooks.findIndex((playbook) => playbook.steps.length === 0);
  if (stepless !== -1 && role.context === undefined)
    throw new ConfigError(
      source,
      `playbooks.${stepless}.steps`,
      'a playbook without steps answers from retrieved context: declare `context`',
    );
  for (const [i, playbook] of role.playbooks.entries()) {
    for (const [j, step] of playbook.steps.entries()) checkWhen(source, `playbooks.${i}.steps.${j}.when`, step.when);
  }
  return role;
}

/** Parses one plan template (`roles/plans/<name>.yaml`). */
export function parsePlan(text: string, source: string): PlanTemplate {
  const plan = parseYaml(text, source, PlanTemplateSchema);
  expectFileName(source, plan.name);
  for (const [i, step] of plan.steps.entries()) checkWhen(source, `steps.${i}.when`, step.when);
  return plan;
}

/** The YAML files of `dir`, sorted; a missing directory is empty only when `optional`. */
export function yamlFiles(dir: string, optional = false): string[] {
  if (optional && !existsSync(dir)) return [];
  try {
    return readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(dir, name));
  } catch (error) {
    throw new ConfigError(dir, '', `cannot read the directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Loads every `*.yaml` / `*.yml` in `dir`, sorted by name. Any bad file fails the whole load, naming it. */
export function loadRoles(dir: string | undefined): Role[] {
  if (dir === undefined) return [];
  return yamlFiles(dir).map((file) => parseRole(readFileSync(file, 'utf8'), file));
}

/** Loads the plan templates in `<rolesDir>/plans/` (none when the folder is absent). */
export function loadPlans(rolesDir: string | undefined): PlanTemplate[] {
  if (rolesDir === undefined) return [];
  return yamlFiles(join(rolesDir, PLANS_SUBDIR), true).map((file) => parsePlan(readFileSync(file, 'utf8'), file));
}
