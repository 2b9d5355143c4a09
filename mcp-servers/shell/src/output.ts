/** Keeps the first `cap` bytes of a stream and counts the rest, so truncation is explicit, never silent. */
export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  total = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.total += buffer.length;
    if (this.kept >= this.cap) return;
    const slice = buffer.subarray(0, this.cap - this.kept);
    this.chunks.push(slice);
    this.kept += slice.length;
  }

  get truncated(): boolean {
    return this.total > this.kept;
  }

  /** UTF-8 text; a character cut at the cap becomes U+FFFD. */
  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString('utf8');
  }
}
