/**
 * Redis's glob (`stringmatchlen`): `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and `\` escaping the next
 * character, matched against the whole string. The mock's SCAN MATCH uses it, and the scan tool
 * re-checks keys carried over in a cursor with it, so both agree with the real server.
 */
export function redisGlobMatch(pattern: string, text: string): boolean {
  return matchFrom(pattern, 0, text, 0);
}

function matchFrom(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi] as string;
    if (c === '*') {
      while (p[pi + 1] === '*') pi++;
      if (pi + 1 === p.length) return true;
      for (let k = si; k <= s.length; k++) if (matchFrom(p, pi + 1, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(p, pi);
      if (!classMatches(p.slice(pi + 1, end), s[si] as string)) return false;
      pi = end + 1;
      si++;
      continue;
    }
    const literal = c === '\\' && pi + 1 < p.length ? (p[++pi] as string) : c;
    if (literal !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

/** Index of the `]` closing the class opened at `start` (Redis treats an unclosed class as running to the end). */
function classEnd(p: string, start: number): number {
  let i = start + 1;
  while (i < p.length && p[i] !== ']') i += p[i] === '\\' ? 2 : 1;
  return Math.min(i, p.length);
}

function classMatches(body: string, ch: string): boolean {
  let negate = false;
  let i = 0;
  if (body[0] === '^') {
    negate = true;
    i = 1;
  }
  let hit = false;
  while (i < body.length) {
    if (body[i] === '\\' && i + 1 < body.length) {
      if (body[i + 1] === ch) hit = true;
      i += 2;
    } else if (body[i + 1] === '-' && i + 2 < body.length) {
      let lo = body[i] as string;
      let hi = body[i + 2] as string;
      if (lo > hi) [lo, hi] = [hi, lo];
      if (ch >= lo && ch <= hi) hit = true;
      i += 3;
    } else {
      if (body[i] === ch) hit = true;
      i++;
    }
  }
  return negate ? !hit : hit;
}

/** The characters every match must start with: the pattern up to its first unescaped `*`, `?` or `[`, unescaped. */
export function literalPrefix(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' || c === '?' || c === '[') return out;
    if (c === '\\' && i + 1 < pattern.length) out += pattern[++i];
    else out += c;
  }
  return out;
}

/** Escapes glob metacharacters so `text` matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
