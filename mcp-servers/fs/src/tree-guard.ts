import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import type { Confined } from './confine.ts';
import type { FsDeps } from './deps.ts';
import { onPath } from './errors.ts';
import { MAX_VISITED, walk } from './walk.ts';

/**
 * Before a directory is moved or deleted whole: nothing inside it may be denied or protected, or
 * the call would reach what no call may reach (a `.git` carried off, the hub's config deleted).
 */
export async function refuseHiddenWithin(
  { backend, confinement }: Pick<FsDeps, 'backend' | 'confinement'>,
  target: Confined,
  verb: string,
  field = 'path',
): Promise<void> {
  await confinement.refuseProtectedWithin(target, field);
  for await (const entry of onPathWalk(target.shown, walk(backend, confinement, target))) {
    if (entry === 'truncated') {
      throw new ToolError('LIMIT_EXCEEDED', `'${target.shown}' has more than ${MAX_VISITED} entries; ${verb} it in parts`, field);
    }
    if (entry.hidden) {
      const shown = target.shown === '.' ? entry.relative : posix.join(target.shown, entry.relative);
      throw new ToolError(
        'ACL_DENIED',
        `'${target.shown}' contains '${shown}', which is denied or protected; ${verb} the other entries one by one`,
        field,
      );
    }
  }
}

async function* onPathWalk<T>(shown: string, source: AsyncGenerator<T>): AsyncGenerator<T> {
  for (;;) {
    const next = await onPath(shown, () => source.next());
    if (next.done) return;
    yield next.value;
  }
}
