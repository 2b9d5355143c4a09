export interface Scored {
  label: number;
  score: number;
}

/** Higher score first; equal scores by label, so results are deterministic. */
export function compareScored(a: Scored, b: Scored): number {
  return b.score - a.score || a.label - b.label;
}

/**
 * Keeps the k best of a stream in a min-heap: O(n log k) and O(k) memory, however long the stream.
 * The root is the worst kept item, so most candidates are rejected with one comparison.
 */
export class TopK {
  private readonly heap: Scored[] = [];

  constructor(readonly k: number) {}

  /** The score a candidate must beat to get in, once the heap is full. */
  get threshold(): number {
    return this.heap.length < this.k ? Number.NEGATIVE_INFINITY : (this.heap[0] as Scored).score;
  }

  push(label: number, score: number): void {
    if (this.k <= 0) return;
    const heap = this.heap;
    if (heap.length < this.k) {
      heap.push({ label, score });
      this.up(heap.length - 1);
    } else if (worse(heap[0] as Scored, { label, score })) {
      heap[0] = { label, score };
      this.down(0);
    }
  }

  /** The kept items, best first. */
  sorted(): Scored[] {
    return [...this.heap].sort(compareScored);
  }

  private up(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(heap[i] as Scored, heap[parent] as Scored)) break;
      [heap[i], heap[parent]] = [heap[parent] as Scored, heap[i] as Scored];
      i = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && worse(heap[left] as Scored, heap[worst] as Scored)) worst = left;
      if (right < heap.length && worse(heap[right] as Scored, heap[worst] as Scored)) worst = right;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst] as Scored, heap[i] as Scored];
      i = worst;
    }
  }
}

/** `a` ranks below `b` (lower score, or equal score and a higher label). */
function worse(a: Scored, b: Scored): boolean {
  return a.score < b.score || (a.score === b.score && a.label > b.label);
}
