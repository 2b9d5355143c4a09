/**
 * Limits on the shape of a parsed request body, checked before anything walks it recursively.
 * The size limit alone does not bound the work: 4 MiB of `[` nests a million levels deep (the
 * audit digest, policy rules and schema validators recurse, and overflow the stack), and 4 MiB of
 * `0,` is a million values for every later step to copy. Real MCP messages are a few levels deep
 * and hold far fewer values.
 */
export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects (the message itself is level 1). */
  maxDepth: number;
  /** Array elements plus object members, over the whole message. */
  maxValues: number;
}

export const DEFAULT_JSON_SHAPE_LIMITS: JsonShapeLimits = { maxDepth: 64, maxValues: 100_000 };

/** Why `value` is over a limit, or undefined when it is within them. Iterative: safe on any depth. */
export function jsonShapeViolation(value: unknown, limits: JsonShapeLimits = DEFAULT_JSON_SHAPE_LIMITS): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  let values = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth > limits.maxDepth) return `the message nests deeper than ${limits.maxDepth} levels`;
    const children = Array.isArray(item.value) ? item.value : Object.values(item.value);
    values += children.length;
    if (values > limits.maxValues) return `the message holds more than ${limits.maxValues} values (array elements and object members)`;
    for (const child of children) if (child !== null && typeof child === 'object') stack.push({ value: child, depth: item.depth + 1 });
  }
  return undefined;
}
