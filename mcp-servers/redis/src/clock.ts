/** Milliseconds since the epoch; injected so TTL behaviour is tested without sleeping. */
export type Clock = () => number;

/** A clock that moves only when told to. */
export class ManualClock {
  constructor(private ms = Date.UTC(2030, 0, 1)) {}
  readonly now: Clock = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}
