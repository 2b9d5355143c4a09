import { STOPWORDS, stem as stemOf, words } from '../text/tokenize.ts';

/** FNV-1a over UTF-16 code units of text[start, end), then a murmur3 finaliser so nearby strings spread over all bits. */
export function hash32(text: string, seed = 0x811c9dc5, start = 0, end = text.length): number {
  let h = seed >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return finalise(h);
}

function finalise(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// One seed per kind of feature, so a word and a character gram with the same letters stay apart.
const WORD_SEED = 0x811c9dc5;
const PAIR_SEED = 0x9e3779b9;
const GRAM_SEED = 0x85ebca77;

export interface FeatureOptions {
  /** Weight of a word (stem) feature. */
  wordWeight: number;
  /** Weight of a pair of adjacent stems. */
  bigramWeight: number;
  /** Weight of one word's character n-grams together (spread over its grams). */
  charWeight: number;
  /** Character n-gram sizes, inclusive. */
  minGram: number;
  maxGram: number;
}

/** Tuned on Cranfield with the BM25 side fixed (see docs/servers/rag.md, "Quality"). */
export const DEFAULT_FEATURES: FeatureOptions = { wordWeight: 1, bigramWeight: 0.5, charWeight: 3, minGram: 3, maxGram: 5 };

interface WordFeatures {
  stem: number;
  grams: Uint32Array;
  gramWeight: number;
}

// A word's stem hash and gram hashes never change: memoised (bounded), since a corpus repeats its
// vocabulary endlessly. One memo per options object, so differently tuned embedders do not mix.
const memos = new WeakMap<FeatureOptions, Map<string, WordFeatures>>();
const WORD_MEMO_LIMIT = 200_000;

function wordFeatures(word: string, options: FeatureOptions): WordFeatures {
  let wordMemo = memos.get(options);
  if (wordMemo === undefined) {
    wordMemo = new Map();
    memos.set(options, wordMemo);
  }
  const cached = wordMemo.get(word);
  if (cached !== undefined) return cached;
  const stem = hash32(stemOf(word), WORD_SEED);
  const grams: number[] = [];
  if (options.charWeight > 0 && word.length >= options.minGram) {
    const marked = `<${word}>`;
    for (let n = options.minGram; n <= options.maxGram; n++)
      for (let i = 0; i + n <= marked.length; i++) grams.push(hash32(marked, GRAM_SEED, i, i + n));
  }
  const features = { stem, grams: Uint32Array.from(grams), gramWeight: grams.length > 0 ? options.charWeight / grams.length : 0 };
  if (wordMemo.size >= WORD_MEMO_LIMIT) wordMemo.clear();
  wordMemo.set(word, features);
  return features;
}

/**
 * An open-addressing table of (hash → count, weight), reused by every call: a text has a few
 * thousand features, and a Map per text costs more than everything else in embedding it.
 */
class FeatureTable {
  private keys = new Uint32Array(1 << 12);
  private counts = new Float64Array(1 << 12);
  private weights = new Float64Array(1 << 12);
  private used = new Uint8Array(1 << 12);
  private slots: number[] = [];

  reset(): void {
    for (const slot of this.slots) this.used[slot] = 0;
    this.slots = [];
  }

  add(hash: number, weight: number): void {
    if (this.slots.length * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = hash & mask;
    while (this.used[slot] === 1) {
      if (this.keys[slot] === hash) {
        this.counts[slot] = (this.counts[slot] as number) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.used[slot] = 1;
    this.keys[slot] = hash;
    this.counts[slot] = 1;
    this.weights[slot] = weight;
    this.slots.push(slot);
  }

  forEach(visit: (hash: number, count: number, weight: number) => void): void {
    for (const slot of this.slots) visit(this.keys[slot] as number, this.counts[slot] as number, this.weights[slot] as number);
  }

  /** The features as three parallel typed arrays (a copy). */
  export(): FeatureList {
    const n = this.slots.length;
    const list = { hashes: new Uint32Array(n), counts: new Float64Array(n), weights: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      const slot = this.slots[i] as number;
      list.hashes[i] = this.keys[slot] as number;
      list.counts[i] = this.counts[slot] as number;
      list.weights[i] = this.weights[slot] as number;
    }
    return list;
  }

  private grow(): void {
    const entries = this.slots.map(
      (slot) => [this.keys[slot] as number, this.counts[slot] as number, this.weights[slot] as number] as const,
    );
    const size = this.keys.length * 2;
    this.keys = new Uint32Array(size);
    this.counts = new Float64Array(size);
    this.weights = new Float64Array(size);
    this.used = new Uint8Array(size);
    this.slots = [];
    for (const [hash, count, weight] of entries) {
      this.add(hash, weight);
      this.counts[this.slots[this.slots.length - 1] as number] = count;
    }
  }
}

const table = new FeatureTable();

/** A text's features as parallel arrays: hash, raw count, weight of its kind. */
export interface FeatureList {
  hashes: Uint32Array;
  counts: Float64Array;
  weights: Float64Array;
}

/**
 * Visits the sparse features of a text, keyed by a 32-bit hash: stems, adjacent stem pairs, and
 * character n-grams of each word (with boundary marks, so "wing" and "swing" share grams but not
 * `<wi`), each once with its raw count and the weight of its kind. The embedder applies sublinear
 * TF, the kind's weight and the IDF. Synchronous: the scratch table is never shared across calls.
 */
export function forEachFeature(text: string, options: FeatureOptions, visit: (hash: number, count: number, weight: number) => void): void {
  fill(text, options);
  table.forEach(visit);
}

/** The features of a text as arrays (see forEachFeature). */
export function featureList(text: string, options: FeatureOptions): FeatureList {
  fill(text, options);
  return table.export();
}

function fill(text: string, options: FeatureOptions): void {
  table.reset();
  let previous: number | undefined;
  for (const word of words(text)) {
    if (STOPWORDS.has(word)) {
      previous = undefined;
      continue;
    }
    const known = wordFeatures(word, options);
    table.add(known.stem, options.wordWeight);
    if (options.bigramWeight > 0 && previous !== undefined)
      table.add(finalise(Math.imul(previous, 31) ^ known.stem ^ PAIR_SEED), options.bigramWeight);
    previous = known.stem;
    for (const gram of known.grams) table.add(gram, known.gramWeight);
  }
}
