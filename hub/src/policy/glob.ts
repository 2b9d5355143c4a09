/** Compiled globs: they come from config, so the set is small, and a call may test dozens. */
const compiled = new Map<string, RegExp>();
const MAX_CACHED = 4096;

/** A tool-name glob (`*` any run of characters, `?` one character) as an anchored RegExp. */
export function toolGlobToRegExp(glob: string): RegExp {
  let regex = compiled.get(glob);
  if (regex === undefined) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(glob, regex);
  }
  return regex;
}

export function matchesAnyGlob(name: string, globs: readonly string[]): string | undefined {
  return globs.find((glob) => toolGlobToRegExp(glob).test(name));
}
