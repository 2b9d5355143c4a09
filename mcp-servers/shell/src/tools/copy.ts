import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { FileAccess } from '../backend.ts';
import type { ShellDeps } from '../deps.ts';
import { hostField } from './schemas.ts';

const CopyOutputSchema = z.object({ host: z.string(), path: z.string(), remotePath: z.string(), size: z.number().int() });

/** copy_to and copy_from: one file over SFTP, both ends confined to their roots, writes atomic. */
export function copyTools(deps: ShellDeps) {
  const fields = {
    host: hostField(deps.hosts.names)
      .unwrap()
      .describe(`the configured SSH host: ${deps.hosts.names.join(', ')}`),
    path: z
      .string()
      .min(1)
      .max(4096)
      .describe(`file here, inside ${deps.config.roots.join(', ')}`),
    remotePath: z.string().min(1).max(4096).describe("file on the host, inside that host's roots (see which)"),
  };
  const transfer = async (direction: 'to' | 'from', args: { host: string; path: string; remotePath: string }) => {
    const place = await deps.hosts.place(args.host);
    const local = await deps.local.confinement.file(args.path, 'path');
    const remote = await place.confinement.file(args.remotePath, 'remotePath');
    const [source, sink, sourceField, sinkField] =
      direction === 'to'
        ? [{ files: deps.local.backend.files, at: local.real }, { files: place.backend.files, at: remote.real }, 'path', 'remotePath']
        : [{ files: place.backend.files, at: remote.real }, { files: deps.local.backend.files, at: local.real }, 'remotePath', 'path'];
    const data = await onFile(
      sourceField,
      (source.files as FileAccess).readFile(source.at, deps.config.maxCopyBytes),
      deps.config.maxCopyBytes,
    );
    await onFile(sinkField, (sink.files as FileAccess).writeFile(sink.at, data), deps.config.maxCopyBytes);
    const structured = { host: args.host, path: local.path, remotePath: remote.path, size: data.byteLength };
    const arrow = direction === 'to' ? `${local.path} -> ${args.host}:${remote.path}` : `${args.host}:${remote.path} -> ${local.path}`;
    return { structured, text: `copied ${arrow} (${data.byteLength} bytes)` };
  };
  return [
    defineTool({
      name: 'copy_to',
      title: 'Copy a file to a host',
      description: `Copies one file from here (inside ${deps.config.roots.join(', ')}) to a host over SFTP, atomically replacing remotePath. At most ${deps.config.maxCopyBytes} bytes; symlinks are never followed at either end.`,
      input: z.strictObject(fields),
      output: CopyOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      run: (args) => transfer('to', args),
    }),
    defineTool({
      name: 'copy_from',
      title: 'Copy a file from a host',
      description: `Copies one file from a host over SFTP to here (inside ${deps.config.roots.join(', ')}), atomically replacing path. At most ${deps.config.maxCopyBytes} bytes; symlinks are never followed at either end.`,
      input: z.strictObject(fields),
      output: CopyOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      run: (args) => transfer('from', args),
    }),
  ];
}

async function onFile<T>(field: string, action: Promise<T>, limit: number): Promise<T> {
  try {
    return await action;
  } catch (error) {
    if (error instanceof ToolError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    switch (code) {
      case 'ENOENT':
        throw new ToolError('NOT_FOUND', `${field} does not exist (or its directory does not)`, field);
      case 'EISDIR':
        throw new ToolError('INVALID_ARGUMENT', `${field} is a directory; copy files one by one`, field);
      case 'ENOTREG':
        throw new ToolError('INVALID_ARGUMENT', `${field} is not a regular file`, field);
      case 'ESYMLINK':
        throw new ToolError('ACL_DENIED', `${field} is a symlink; copies never follow one`, field);
      case 'EFBIG':
        throw new ToolError('TOO_LARGE', `${field} is ${(error as { size?: number }).size} bytes; the copy limit is ${limit}`, field);
      case 'EACCES':
      case 'EPERM':
        throw new ToolError('ACL_DENIED', `${field} may not be accessed by the server's user`, field);
      default:
        throw new ToolError('INTERNAL', `copy failed on ${field}${code ? ` (${code})` : ''}`, field);
    }
  }
}
