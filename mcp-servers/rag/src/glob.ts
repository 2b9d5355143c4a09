/**
 * A path glob as an anchored RegExp: `**` any number of directories, `*` any run within one segment,
 * `?` one character within a segment, `{a,b}` alternatives. Everything else is literal. (The same
 * dialect as the fs server's search; servers do not import each other.)
 */
export function pathGlobToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) out += '\\{';
      else {
        out += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((alt) => alt.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** A glob without a slash matches a file's name anywhere; with one, the path relative to the walked dir. */
export function globMatcher(glob: string): (relativePath: string) => boolean {
  const re = pathGlobToRegExp(glob);
  if (glob.includes('/')) return (path) => re.test(path);
  return (path) => re.test(path.slice(path.lastIndexOf('/') + 1));
}
