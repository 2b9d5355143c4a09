/** Template variables: match groups, context, earlier step results (`steps.<id>`), `round`, `run`, … */
export type Vars = Record<string, unknown>;

const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;
const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const segment = /^([A-Za-z_$][A-Za-z0-9_$-]*)|^\.([A-Za-z_$][A-Za-z0-9_$-]*)|^\[\s*([A-Za-z0-9_.]+)\s*\]/;

/**
 * Looks `path` up in `vars`: `a.b.c`, `a[0]`, `a[var]` (var resolved first, e.g. `drafts[roundIndex]`).
 * Only own properties are followed, so `__proto__` or `constructor` resolve to nothing.
 */
export function resolvePath(vars: Vars, path: string): unknown {
  let rest = path.trim();
  let value: unknown = vars;
  let first = true;
  while (rest.length > 0) {
    const m = segment.exec(rest);
    if (!m || first !== (m[1] !== undefined)) return undefined;
    rest = rest.slice(m[0].length);
    let key: string | number;
    if (m[1] !== undefined || m[2] !== undefined) key = (m[1] ?? m[2]) as string;
    else {
      const index = m[3] as string;
      const resolved = /^\d+$/.test(index) ? Number(index) : resolvePath(vars, index);
      if (typeof resolved !== 'number' && typeof resolved !== 'string') return undefined;
      key = resolved;
    }
    first = false;
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** `| number`, `| json`, `| string`: regex groups are text, tool arguments often are not. */
const filters: Record<string, (value: unknown) => unknown> = {
  number: (value) => (value === undefined || value === null || value === '' ? value : Number(value)),
  json: (value) => JSON.stringify(value ?? null),
  string: (value) => asText(value),
};

function lookup(expression: string, vars: Vars): unknown {
  const [head = '', ...piped] = expression.split('|').map((part) => part.trim());
  const split = head.indexOf(':-');
  const ref = split === -1 ? head : head.slice(0, split);
  let value = resolvePath(vars, ref);
  if (split !== -1 && (value === undefined || value === null || value === '')) value = head.slice(split + 2);
  for (const name of piped) {
    const filter = filters[name];
    if (filter === undefined)
      throw new Error(`template '{{${expression}}}': no filter '${name}' (filters: ${Object.keys(filters).join(', ')})`);
    value = filter(value);
  }
  return value;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Fills `{{ref}}` / `{{ref:-default}}` in every string of `value` from `vars`. A string that is exactly
 * one placeholder takes the value's own type (a number stays a number, an object an object); inside
 * longer text, values are spelled out (objects as JSON). A missing variable without a default becomes
 * '' so the tool's own validation names the empty field. Filters: `{{n | number}}`, `{{x | json}}`,
 * `{{x | string}}`. `{ $json: x }` renders x, then JSON text.
 * Values are never re-expanded, so caller data cannot reach other variables.
 */
export function renderTemplate(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const only = whole.exec(value);
    if (only) {
      const found = lookup(only[1] as string, vars);
      return found === undefined || found === null ? '' : found;
    }
    return value.replace(placeholder, (_m, expression: string) => asText(lookup(expression, vars)));
  }
  if (Array.isArray(value)) return value.map((item) => renderTemplate(item, vars));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]?.[0] === '$json') return JSON.stringify(renderTemplate(entries[0][1], vars), null, 2);
    return Object.fromEntries(entries.map(([key, item]) => [key, renderTemplate(item, vars)]));
  }
  return value;
}

/** Renders a template that must be text (task strings, messages): non-strings are spelled out. */
export function renderText(template: string, vars: Vars): string {
  return asText(renderTemplate(template, vars));
}
