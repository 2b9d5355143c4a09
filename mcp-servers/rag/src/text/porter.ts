/**
 * The Porter (1980) stemmer, after Martin Porter's own reference implementation: "connections",
 * "connected" and "connecting" all become "connect", so lexical search and the hashing embedder
 * match across inflections without a dictionary or a download.
 */
const step2: Record<string, string> = {
  ational: 'ate',
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  izer: 'ize',
  bli: 'ble',
  alli: 'al',
  entli: 'ent',
  eli: 'e',
  ousli: 'ous',
  ization: 'ize',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  iveness: 'ive',
  fulness: 'ful',
  ousness: 'ous',
  aliti: 'al',
  iviti: 'ive',
  biliti: 'ble',
  logi: 'log',
};
const step3: Record<string, string> = { icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '' };

const c = '[^aeiou]';
const v = '[aeiouy]';
const C = `${c}[^aeiouy]*`;
const V = `${v}[aeiou]*`;
const measureAtLeast1 = new RegExp(`^(${C})?${V}${C}`);
const measureIs1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const measureAtLeast2 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const hasVowel = new RegExp(`^(${C})?${v}`);
const endsCvc = new RegExp(`^${C}${v}[^aeiouwxy]$`);
const doubleConsonant = /([^aeiouylsz])\1$/;
const step2Suffix =
  /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const step3Suffix = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const step4Suffix = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;

/** Stems one lowercase word. Words shorter than three letters come back unchanged. */
export function porterStem(word: string): string {
  if (word.length < 3) return word;
  let w = word;
  const initialY = w[0] === 'y';
  if (initialY) w = `Y${w.slice(1)}`;

  // Step 1a: plurals.
  if (/^(.+?)(ss|i)es$/.test(w)) w = w.replace(/^(.+?)(ss|i)es$/, '$1$2');
  else if (/^(.+?)([^s])s$/.test(w)) w = w.replace(/^(.+?)([^s])s$/, '$1$2');

  // Step 1b: -eed, -ed, -ing.
  const eed = /^(.+?)eed$/.exec(w);
  const edIng = eed ? null : /^(.+?)(ed|ing)$/.exec(w);
  if (eed) {
    if (measureAtLeast1.test(eed[1] as string)) w = w.slice(0, -1);
  } else if (edIng && hasVowel.test(edIng[1] as string)) {
    w = edIng[1] as string;
    if (/(at|bl|iz)$/.test(w)) w += 'e';
    else if (doubleConsonant.test(w)) w = w.slice(0, -1);
    else if (endsCvc.test(w)) w += 'e';
  }

  // Step 1c: y → i after a vowel-bearing stem.
  const y = /^(.+?)y$/.exec(w);
  if (y && hasVowel.test(y[1] as string)) w = `${y[1]}i`;

  // Steps 2 and 3: double and single suffixes.
  const s2 = step2Suffix.exec(w);
  if (s2 && measureAtLeast1.test(s2[1] as string)) w = (s2[1] as string) + step2[s2[2] as string];
  const s3 = step3Suffix.exec(w);
  if (s3 && measureAtLeast1.test(s3[1] as string)) w = (s3[1] as string) + step3[s3[2] as string];

  // Step 4: residual suffixes on long stems.
  const s4 = step4Suffix.exec(w);
  const ion = s4 ? null : /^(.+?)(s|t)(ion)$/.exec(w);
  if (s4) {
    if (measureAtLeast2.test(s4[1] as string)) w = s4[1] as string;
  } else if (ion) {
    const stem = (ion[1] as string) + (ion[2] as string);
    if (measureAtLeast2.test(stem)) w = stem;
  }

  // Step 5: final -e and -ll.
  const e = /^(.+?)e$/.exec(w);
  if (e) {
    const stem = e[1] as string;
    if (measureAtLeast2.test(stem) || (measureIs1.test(stem) && !endsCvc.test(stem))) w = stem;
  }
  if (/ll$/.test(w) && measureAtLeast2.test(w)) w = w.slice(0, -1);

  return initialY ? `y${w.slice(1)}` : w;
}
