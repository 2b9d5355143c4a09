import { posix } from 'node:path';

/**
 * A path argument in the one form rules compare: POSIX-normalised, no leading `./`, no trailing `/`.
 * Undefined when the value cannot be trusted at all (NUL bytes, or `..` climbing above its start),
 * which fails every glob: `src/../../etc` must never look like it is under `src/**`.
 */
export function normalisePathArgument(value: string): string | undefined {
  if (value.includes('\0') || value === '') return undefined;
  let path = posix.normalize(value);
  if (path === '..' || path.startsWith('../')) return undefined;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path === '.' ? '.' : path.replace(/^\.\//, '');
}

/**
 * A path glob as an anchored RegExp: `**` any number of segments, `*` and `?` within one segment.
 * `dir/**` also matches `dir` itself (listing a directory is "under" it).
 */
const compiled = new Map<string, RegExp>();

export function pathGlobToRegExp(glob: string): RegExp {
  const cached = compiled.get(glob);
  if (cached !== undefined) return cached;
  if (compiled.size >= 4096) compiled.clear();
  let body = '';
  let i = 0;
  while (i < glob.length) {
    const segmentStart = i === 0 || glob[i - 1] === '/';
    if (glob.startsWith('**', i) && segmentStart && glob[i + 2] === '/') {
      body += '(?:.*/)?'; // `**/`: zero or more whole directories
      i += 3;
    } else if (glob.startsWith('**', i) && segmentStart && i > 0 && i + 2 === glob.length) {
      body = `${body.slice(0, -1)}(?:/.*)?`; // `dir/**`: dir itself or anything below it
      i += 2;
    } else if (glob.startsWith('**', i)) {
      body += '.*';
      i += 2;
    } else {
      const char = glob[i] as string;
      body += char === '*' ? '[^/]*' : char === '?' ? '[^/]' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  const regex = new RegExp(`^${body}$`, 'u');
  compiled.set(glob, regex);
  return regex;
}
