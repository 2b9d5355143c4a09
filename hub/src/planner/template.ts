const placeholder = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::-([^}]*))?\}\}/g;

/**
 * Fills `{{name}}` / `{{name:-default}}` in every string value of `value` from `vars`. A missing
 * variable without a default becomes '' so the tool's own validation names the empty field.
 */
export function renderTemplate(value: unknown, vars: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    return value.replace(placeholder, (_m, name: string, fallback: string | undefined) => {
      const found = vars[name];
      return found !== undefined && found !== '' ? found : (fallback ?? '');
    });
  }
  if (Array.isArray(value)) return value.map((item) => renderTemplate(item, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderTemplate(item, vars)]));
  }
  return value;
}
