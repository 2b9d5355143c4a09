/** A chunk of a document: `text` is exactly `document.slice(start, end)`. */
export interface Chunk {
  index: number;
  start: number;
  end: number;
  text: string;
}

export interface ChunkOptions {
  /** Most characters in one chunk. */
  size: number;
  /** Characters the next chunk repeats from the end of the previous one (aligned to a word or line). */
  overlap: number;
}

interface Piece {
  start: number;
  end: number;
  code: boolean;
}

const FENCE = /^[ \t]*(`{3,}|~{3,})/;

/**
 * Splits a document into chunks of at most `size` characters. Paragraphs and fenced code blocks are
 * the units: they are packed whole while they fit, and only a unit larger than a chunk is cut, at a
 * sentence or line end first, then a word, and only as a last resort mid-word. Consecutive chunks
 * share about `overlap` characters so a sentence cut at a boundary is still found whole in one of them.
 */
export function chunkText(text: string, options: ChunkOptions): Chunk[] {
  const { size, overlap } = options;
  // Cut pieces leave room for the overlap, so the next chunk can repeat the end of the previous one.
  const cutSize = Math.max(1, size - overlap);
  const pieces = segment(text).flatMap((unit) => (unit.end - unit.start <= size ? [unit] : splitUnit(text, unit, cutSize)));
  const chunks: Chunk[] = [];
  let i = 0;
  let carry: number | undefined;
  while (i < pieces.length) {
    const first = pieces[i] as Piece;
    let start = carry !== undefined && first.end - carry <= size ? carry : first.start;
    let end = first.end;
    i++;
    while (i < pieces.length && (pieces[i] as Piece).end - start <= size) end = (pieces[i++] as Piece).end;
    [start, end] = trim(text, start, end);
    chunks.push({ index: chunks.length, start, end, text: text.slice(start, end) });
    carry = i < pieces.length && overlap > 0 ? overlapStart(text, pieces, start, end, overlap) : undefined;
  }
  return chunks;
}

/** Paragraphs (separated by blank lines) and fenced code blocks (kept whole, blank lines included). */
function segment(text: string): Piece[] {
  const units: Piece[] = [];
  let paragraphStart: number | undefined;
  let fence: string | undefined;
  let fenceStart = 0;
  let pos = 0;
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(pos, lineEnd);
    if (fence !== undefined) {
      const close = FENCE.exec(line);
      if (close && (close[1] as string)[0] === fence[0] && (close[1] as string).length >= fence.length && line.trim() === close[1]) {
        units.push({ start: fenceStart, end: lineEnd, code: true });
        fence = undefined;
      }
    } else {
      const open = FENCE.exec(line);
      if (open) {
        if (paragraphStart !== undefined) units.push({ start: paragraphStart, end: pos, code: false });
        paragraphStart = undefined;
        fence = open[1] as string;
        fenceStart = pos;
      } else if (line.trim() === '') {
        if (paragraphStart !== undefined) units.push({ start: paragraphStart, end: pos, code: false });
        paragraphStart = undefined;
      } else paragraphStart ??= pos;
    }
    pos = lineEnd;
  }
  if (fence !== undefined) units.push({ start: fenceStart, end: text.length, code: true });
  else if (paragraphStart !== undefined) units.push({ start: paragraphStart, end: text.length, code: false });
  return units;
}

/** Cuts one oversized unit: at line ends (code) or sentence/line ends (prose), then words, then anywhere. */
function splitUnit(text: string, unit: Piece, size: number): Piece[] {
  const preferred: number[] = [];
  const words: number[] = [];
  const sentenceEnd = unit.code ? /\n/g : /[.!?;:]["')\]]*\s+|\n/g;
  sentenceEnd.lastIndex = unit.start;
  for (let m = sentenceEnd.exec(text); m !== null && m.index < unit.end; m = sentenceEnd.exec(text)) preferred.push(m.index + m[0].length);
  const wordEnd = /\s+/g;
  wordEnd.lastIndex = unit.start;
  for (let m = wordEnd.exec(text); m !== null && m.index < unit.end; m = wordEnd.exec(text)) words.push(m.index + m[0].length);
  const pieces: Piece[] = [];
  let pos = unit.start;
  while (unit.end - pos > size) {
    const limit = pos + size;
    const cut = lastIn(preferred, pos + size / 2, limit) ?? lastIn(words, pos, limit) ?? lastIn(preferred, pos, limit) ?? limit;
    pieces.push({ start: pos, end: cut, code: unit.code });
    pos = cut;
  }
  pieces.push({ start: pos, end: unit.end, code: unit.code });
  return pieces;
}

/** The last boundary b with low < b <= high, if any. */
function lastIn(boundaries: number[], low: number, high: number): number | undefined {
  let found: number | undefined;
  for (const b of boundaries) {
    if (b > high) break;
    if (b > low) found = b;
  }
  return found;
}

/** Where the next chunk starts so it repeats about `overlap` characters: a piece, line or word start. */
function overlapStart(text: string, pieces: Piece[], start: number, end: number, overlap: number): number | undefined {
  const from = Math.max(start + 1, end - overlap);
  const pieceStart = pieces.find((p) => p.start >= from && p.start < end);
  if (pieceStart) return pieceStart.start;
  const inCode = pieces.some((p) => p.code && p.start < end && p.end >= end);
  for (let p = from; p < end; p++) {
    const before = text[p - 1] as string;
    if (inCode ? before === '\n' : /\s/.test(before) && !/\s/.test(text[p] as string)) return p;
  }
  return undefined;
}

function trim(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] as string)) s++;
  while (e > s && /\s/.test(text[e - 1] as string)) e--;
  return [s, e];
}
