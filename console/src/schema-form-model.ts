import type { JsonSchema } from './types.ts';

/** One input of the "try it" form, derived from a property of the tool's input schema. */
export interface Field {
  name: string;
  kind: 'text' | 'textarea' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';
  required: boolean;
  description: string;
  options: string[];
  /** The schema's default, as the form shows it (the hub applies defaults itself; this is a hint). */
  placeholder: string;
}

const LONG_TEXT = new Set(['content', 'task', 'sql', 'value', 'text', 'query', 'prompt', 'message', 'body', 'script']);

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type))
    return schema.type.filter((t) => t !== 'null').length === 1 ? schema.type.find((t) => t !== 'null') : undefined;
  return schema.type;
}

export function fieldsOf(schema: JsonSchema | null | undefined): Field[] {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  return Object.entries(properties).map(([name, property]): Field => {
    const type = typeOf(property);
    const enumValues =
      Array.isArray(property.enum) && property.enum.every((v) => typeof v === 'string') ? (property.enum as string[]) : undefined;
    let kind: Field['kind'] = 'json';
    if (enumValues) kind = 'enum';
    else if (type === 'string') kind = LONG_TEXT.has(name) ? 'textarea' : 'text';
    else if (type === 'number') kind = 'number';
    else if (type === 'integer') kind = 'integer';
    else if (type === 'boolean') kind = 'boolean';
    const fallback = property.default;
    return {
      name,
      kind,
      required: required.has(name),
      description: property.description ?? property.title ?? '',
      options: enumValues ?? (kind === 'boolean' ? ['true', 'false'] : []),
      placeholder: fallback === undefined ? '' : typeof fallback === 'string' ? fallback : JSON.stringify(fallback),
    };
  });
}

/**
 * The form's text values → the tool's arguments. Empty optional fields are left out (the tool's own
 * defaults apply); each field that cannot be read gets an error naming what it wants.
 */
export function argumentsOf(
  fields: Field[],
  values: Record<string, string>,
): { args: Record<string, unknown>; errors: Record<string, string> } {
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? '';
    if (raw.trim() === '') {
      if (field.required) errors[field.name] = 'required';
      continue;
    }
    switch (field.kind) {
      case 'number':
      case 'integer': {
        const n = Number(raw);
        if (!Number.isFinite(n)) errors[field.name] = 'a number';
        else if (field.kind === 'integer' && !Number.isInteger(n)) errors[field.name] = 'a whole number';
        else args[field.name] = n;
        break;
      }
      case 'boolean':
        args[field.name] = raw === 'true';
        break;
      case 'json':
        try {
          args[field.name] = JSON.parse(raw);
        } catch {
          errors[field.name] = 'JSON (e.g. ["a","b"] or {"k":1})';
        }
        break;
      default:
        args[field.name] = raw;
    }
  }
  return { args, errors };
}

/** Arguments → form values (when switching back from the raw JSON editor). */
export function valuesOf(fields: Field[], args: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = args[field.name];
    if (value === undefined) continue;
    values[field.name] = field.kind === 'json' ? JSON.stringify(value) : String(value);
  }
  return values;
}
