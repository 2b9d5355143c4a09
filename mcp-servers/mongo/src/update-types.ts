import type { Doc } from './backend.ts';
import { isPlainObject } from './guard.ts';

const NUMERIC = new Set(['$inc', '$mul']);
const ARRAY = new Set(['$push', '$addToSet', '$pull', '$pullAll', '$pop']);

/**
 * MongoDB refuses `$inc` on a string or `$push` onto a non-array; mingo silently skips them. The
 * mock checks first, so both backends answer INVALID_ARGUMENT. Answers the complaint, or undefined.
 */
export function operandTypeProblem(doc: Doc, update: Doc): string | undefined {
  for (const [operator, fields] of Object.entries(update)) {
    if (!isPlainObject(fields) || !(NUMERIC.has(operator) || ARRAY.has(operator))) continue;
    for (const [path, operand] of Object.entries(fields)) {
      if (path.includes('$')) continue;
      const current = valueAt(doc, path);
      if (NUMERIC.has(operator) && typeof operand !== 'number')
        return `Cannot ${operator} with non-numeric argument: {${path}: ${JSON.stringify(operand)}}`;
      if (current === undefined || current === null) continue;
      if (NUMERIC.has(operator) && typeof current !== 'number')
        return `Cannot apply ${operator} to a value of non-numeric type at '${path}'`;
      if (ARRAY.has(operator) && !Array.isArray(current)) return `Cannot apply ${operator} to a non-array field at '${path}'`;
    }
  }
  return undefined;
}

function valueAt(doc: unknown, path: string): unknown {
  let current = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isPlainObject(current)) current = current[part];
    else return undefined;
  }
  return current;
}
