/** A tool-name glob (`*` any run of characters, `?` one character) as an anchored RegExp. */
export function toolGlobToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function matchesAnyGlob(name: string, globs: readonly string[]): string | undefined {
  return globs.find((glob) => toolGlobToRegExp(glob).test(name));
}
