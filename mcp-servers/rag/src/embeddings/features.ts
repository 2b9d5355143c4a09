import { STOPWORDS, stem as stemOf, words } from '../text/tokenize.ts';

/** FNV-1a over UTF-16 code units, then a murmur3 finaliser so nearby strings spread over all bits. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface FeatureOptions {
  /** Weight of a word (stem) feature. */
  wordWeight: number;
  /** Weight of a pair of adjacent stems. */
  bigramWeight: number;
  /** Total weight of one word's character n-grams (spread over its grams). */
  charWeight: number;
  /** Character n-gram sizes, inclusive. */
  minGram: number;
  maxGram: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { wordWeight: 1, bigramWeight: 0.5, charWeight: 1, minGram: 3, maxGram: 5 };

/**
 * The sparse features of a text, keyed by a 32-bit hash: stems, adjacent stem pairs, and character
 * n-grams of each word (with boundary marks, so "wing" and "swing" share grams but not `<wi`). Values
 * are raw weighted counts; the embedder applies sublinear TF and IDF.
 */
export function extractFeatures(text: string, options: FeatureOptions = DEFAULT_FEATURES): Map<number, number> {
  const features = new Map<number, number>();
  const add = (key: string, weight: number) => {
    const h = hash32(key);
    features.set(h, (features.get(h) ?? 0) + weight);
  };
  let previous: string | undefined;
  for (const word of words(text)) {
    if (STOPWORDS.has(word)) {
      previous = undefined;
      continue;
    }
    const stem = stemOf(word);
    add(`w:${stem}`, options.wordWeight);
    if (options.bigramWeight > 0 && previous !== undefined) add(`b:${previous} ${stem}`, options.bigramWeight);
    previous = stem;
    if (options.charWeight > 0 && word.length >= options.minGram) {
      const marked = `<${word}>`;
      const grams: string[] = [];
      for (let n = options.minGram; n <= options.maxGram; n++)
        for (let i = 0; i + n <= marked.length; i++) grams.push(marked.slice(i, i + n));
      const each = options.charWeight / grams.length;
      for (const gram of grams) add(`c:${gram}`, each);
    }
  }
  return features;
}
