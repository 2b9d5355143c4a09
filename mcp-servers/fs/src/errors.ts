import { ToolError } from '@switchboard/kit';

/** Filesystem errno codes as domain errors that name the path as the caller wrote it, never the host's. */
export function fsToolError(error: unknown, shown: string, field = 'path'): unknown {
  if (error instanceof ToolError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new ToolError('NOT_FOUND', `'${shown}' does not exist`, field);
    case 'EISDIR':
      return new ToolError('INVALID_ARGUMENT', `'${shown}' is a directory`, field);
    case 'ENOTDIR':
      return new ToolError('INVALID_ARGUMENT', `a parent of '${shown}' is not a directory`, field);
    case 'EEXIST':
      return new ToolError('ALREADY_EXISTS', `'${shown}' already exists`, field);
    case 'ENOTEMPTY':
      return new ToolError('INVALID_ARGUMENT', `directory '${shown}' is not empty; pass recursive: true to delete it`, field);
    case 'EACCES':
    case 'EPERM':
      return new ToolError('ACL_DENIED', `the server's user may not access '${shown}'`, field);
    case 'ELOOP':
      return new ToolError('INVALID_ARGUMENT', `'${shown}' has too many levels of symlinks`, field);
    case 'ESYMLINK':
      // Our own code (verified-dir.ts): the path was swapped for a symlink between check and use.
      return new ToolError('ACL_DENIED', `'${shown}' changed during the call (a symlink was swapped in); nothing was done`, field);
    case 'EFBIG':
      return new ToolError('TOO_LARGE', `'${shown}' is ${(error as { size?: number }).size ?? 'over'} bytes, over the limit`, field);
    case 'ENOTREG':
      return new ToolError('INVALID_ARGUMENT', `'${shown}' is not a regular file (device, FIFO or socket)`, field);
    case 'EINVAL':
      return new ToolError('INVALID_ARGUMENT', `'${shown}' cannot be used that way (e.g. moving a directory into itself)`, field);
    case 'ENAMETOOLONG':
      return new ToolError('INVALID_ARGUMENT', `'${shown}' has a name that is too long`, field);
    case 'EXDEV':
      return new ToolError('INVALID_ARGUMENT', `'${shown}' cannot be moved across filesystems; copy it instead`, field);
    case 'ENOSPC':
    case 'EDQUOT':
      return new ToolError('LIMIT_EXCEEDED', `no space left to write '${shown}'`, field);
    default:
      return new ToolError('INTERNAL', `filesystem error on '${shown}'${code ? ` (${code})` : ''}`, field);
  }
}

/** Runs `action`, turning errno failures into errors about `shown`. */
export async function onPath<T>(shown: string, action: () => Promise<T>, field = 'path'): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw fsToolError(error, shown, field);
  }
}
