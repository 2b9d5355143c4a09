import { isDeepStrictEqual } from 'node:util';
import type { ArgumentConstraint, ArgumentRule } from '../config/index.ts';
import { matchesAnyGlob } from './glob.ts';
import { normalisePathArgument, pathGlobToRegExp } from './path-glob.ts';

/** Why a call's arguments broke a rule: the rule's index, the argument, and what it must be. */
export interface ArgumentViolation {
  rule: number;
  field: string;
  expected: string;
}

/**
 * Checks `args` against every rule whose tool globs match `tool` (all must pass). Pure; the message
 * says what the argument must be and never repeats the value, which may be a secret.
 */
export function checkArguments(rules: readonly ArgumentRule[], tool: string, args: Record<string, unknown>): ArgumentViolation | undefined {
  for (const [index, rule] of rules.entries()) {
    if (matchesAnyGlob(tool, rule.tools) === undefined) continue;
    for (const [field, constraint] of Object.entries(rule.where)) {
      const expected = violation(constraint, Object.hasOwn(args, field) ? args[field] : undefined);
      if (expected !== undefined) return { rule: index, field, expected };
    }
  }
  return undefined;
}

/** The constraints in words, for a tool description the model reads before it calls. */
export function describeConstraint(constraint: ArgumentConstraint): string {
  if (constraint.glob !== undefined) return `must be a path matching ${constraint.glob.join(' or ')}`;
  if (constraint.oneOf !== undefined) return `must be one of ${constraint.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  if (constraint.pattern !== undefined) return `must match /${constraint.pattern}/`;
  return `must be ${JSON.stringify(constraint.equals)}`;
}

function violation(constraint: ArgumentConstraint, value: unknown): string | undefined {
  const expected = describeConstraint(constraint);
  if (value === undefined) return constraint.optional ? undefined : `${expected} (and is required)`;
  // An array argument (several paths, say) passes only when every element does.
  const values = Array.isArray(value) && (constraint.glob !== undefined || constraint.pattern !== undefined) ? value : [value];
  if (values.length === 0) return undefined;
  return values.every((item) => passes(constraint, item)) ? undefined : expected;
}

function passes(constraint: ArgumentConstraint, value: unknown): boolean {
  if (constraint.glob !== undefined) {
    if (typeof value !== 'string') return false;
    const path = normalisePathArgument(value);
    return path !== undefined && constraint.glob.some((glob) => pathGlobToRegExp(glob).test(path));
  }
  if (constraint.pattern !== undefined) return typeof value === 'string' && new RegExp(`^(?:${constraint.pattern})$`, 'u').test(value);
  if (constraint.oneOf !== undefined) return constraint.oneOf.some((option) => isDeepStrictEqual(option, value));
  return isDeepStrictEqual(constraint.equals, value);
}
