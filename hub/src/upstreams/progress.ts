import type { Progress, ProgressNotificationParams } from '@modelcontextprotocol/client';

/**
 * Routes an upstream's `notifications/progress` to the call it belongs to, by a token the hub puts
 * in the request's `_meta`. The SDK's own routing drops progress that arrives in the same read as
 * the result (it defers notifications a microtask but settles responses at once, forgetting the
 * token); here a token lives until the next macrotask after its call ends.
 */
export class ProgressRouter {
  private readonly routes = new Map<string, (progress: Progress) => void>();
  private next = 0;

  /** A fresh token for a call whose progress goes to `onprogress`. */
  open(onprogress: (progress: Progress) => void): { token: string; close(): void } {
    const token = `hub-progress-${++this.next}`;
    this.routes.set(token, onprogress);
    return { token, close: () => setTimeout(() => this.routes.delete(token), 0) };
  }

  dispatch(params: ProgressNotificationParams): void {
    const { progressToken, ...progress } = params;
    this.routes.get(String(progressToken))?.(progress);
  }
}
