/** What a step with `save: NAME` keeps for later steps to reference as `{{NAME.field.path}}`. */
export interface SavedResult {
  text?: string;
  structured?: unknown;
  isError?: boolean;
  status?: number;
  json?: unknown;
  tools?: string[];
}

export type SavedResults = Readonly<Record<string, SavedResult>>;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const reference = /\{\{\s*([A-Za-z_][\w-]*)((?:\.[\w-]+)+)\s*\}\}/g;
const wholeReference = /^\{\{\s*([A-Za-z_][\w-]*)((?:\.[\w-]+)+)\s*\}\}$/;

/**
 * Replaces `{{name.path}}` in every string inside `value` (deeply). A string that is exactly one
 * reference becomes the referenced value itself (object, number, …); an embedded one is rendered as
 * text (strings as they are, anything else as JSON). Unknown names or paths throw a TemplateError.
 */
export function renderTemplates<T>(value: T, saved: SavedResults): T {
  return render(value, saved) as T;
}

function render(value: unknown, saved: SavedResults): unknown {
  if (typeof value === 'string') return renderString(value, saved);
  if (Array.isArray(value)) return value.map((item) => render(item, saved));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, render(item, saved)]));
  }
  return value;
}

function renderString(text: string, saved: SavedResults): unknown {
  const whole = wholeReference.exec(text);
  if (whole !== null) return resolve(whole[0], whole[1] as string, whole[2] as string, saved);
  return text.replace(reference, (match, name: string, path: string) => {
    const found = resolve(match, name, path, saved);
    return typeof found === 'string' ? found : JSON.stringify(found);
  });
}

function resolve(reference: string, name: string, path: string, saved: SavedResults): unknown {
  if (!Object.hasOwn(saved, name)) {
    const known = Object.keys(saved);
    throw new TemplateError(`${reference}: no earlier step saved as '${name}' (saved: ${known.length > 0 ? known.join(', ') : 'none'})`);
  }
  let current: unknown = saved[name];
  for (const key of path.slice(1).split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      throw new TemplateError(`${reference}: '${key}' not found in the saved result of '${name}'`);
    }
    current = (current as Record<string, unknown>)[key];
  }
  if (current === undefined) throw new TemplateError(`${reference}: the saved result of '${name}' has no value there`);
  return current;
}
