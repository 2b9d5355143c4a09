import { ToolError } from '@switchboard/kit';

/** At most `max` commands at once; up to `queue` more wait their turn; beyond that, refused. */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly queue = max * 4,
  ) {}

  async run<T>(signal: AbortSignal, body: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.queue) {
        throw new ToolError(
          'LIMIT_EXCEEDED',
          `${this.running} commands are running and ${this.waiting.length} waiting (limit ${this.max}); try again shortly`,
        );
      }
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal.removeEventListener('abort', cancel);
          resolve();
        };
        const cancel = () => {
          this.waiting.splice(this.waiting.indexOf(go), 1);
          reject(new ToolError('TIMEOUT', 'cancelled while waiting for a free slot'));
        };
        this.waiting.push(go);
        signal.addEventListener('abort', cancel, { once: true });
      });
    } else this.running++;
    try {
      return await body();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get active(): number {
    return this.running;
  }
}
