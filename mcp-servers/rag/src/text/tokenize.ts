import { porterStem } from './porter.ts';

/** Common English function words: they carry no topic, so neither search nor the embedder counts them. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves also may must shall upon been us'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;
const CAMEL = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
const MAX_WORD = 40;

/**
 * Lowercase words of a text. Identifiers are split too (`parseHttpHeader` → parse, http, header,
 * plus the whole `parsehttpheader`), so code and prose meet on the same terms. Overlong runs (hashes,
 * base64) are cut, so they cannot blow up the term dictionary.
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const raw = match[0];
    const whole = raw.toLowerCase();
    out.push(whole.length > MAX_WORD ? whole.slice(0, MAX_WORD) : whole);
    // Only mixed-case words can be identifiers worth splitting; most words skip the costly regex.
    if (whole === raw || whole.slice(1) === raw.slice(1)) continue;
    const parts = raw.split(CAMEL);
    if (parts.length > 1) for (const part of parts) out.push(part.toLowerCase().slice(0, MAX_WORD));
  }
  return out;
}

// Stemming is the costly part of tokenising; a bounded memo makes re-reading a corpus cheap. Pure, so
// sharing it across collections is safe.
const stemMemo = new Map<string, string>();
const STEM_MEMO_LIMIT = 100_000;

/** A word's Porter stem, memoised. */
export function stem(word: string): string {
  let stemmed = stemMemo.get(word);
  if (stemmed === undefined) {
    stemmed = porterStem(word);
    if (stemMemo.size >= STEM_MEMO_LIMIT) stemMemo.clear();
    stemMemo.set(word, stemmed);
  }
  return stemmed;
}

/** The index terms of a text: words without stopwords, Porter-stemmed. Used by BM25 and the embedder alike. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) if (!STOPWORDS.has(word)) out.push(stem(word));
  return out;
}
