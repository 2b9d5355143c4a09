/**
 * Runs actions for the same key in turn. Two consumes for one group in one server would otherwise
 * join the group together and split (or fight over) its partitions.
 */
export class OneAtATime {
  private readonly running = new Map<string, Promise<unknown>>();

  run<T>(key: string, action: () => Promise<T>): Promise<T> {
    const previous = this.running.get(key) ?? Promise.resolve();
    const current = previous.catch(() => {}).then(action);
    this.running.set(key, current);
    return current.finally(() => {
      if (this.running.get(key) === current) this.running.delete(key);
    });
  }
}
