import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** The reference filesystem server (npm @modelcontextprotocol/server-filesystem), over stdio with a 2025-era client. */
export const REFERENCE_FS = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '@modelcontextprotocol',
  'server-filesystem',
  'dist',
  'index.js',
);

export async function startReferenceFs(root: string): Promise<Client> {
  const client = new Client({ name: 'reference-compare', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [REFERENCE_FS, root], stderr: 'ignore' }));
  return client;
}

/** Our tool call → the reference server's equivalent (name and argument names). */
export function toReference(tool: string, args: Record<string, unknown>): { name: string; arguments: Record<string, unknown> } {
  switch (tool) {
    case 'read_file':
      return { name: 'read_text_file', arguments: { path: args.path } };
    case 'mkdir':
      return { name: 'create_directory', arguments: { path: args.path } };
    case 'list_dir':
      return { name: 'list_directory', arguments: { path: args.path } };
    case 'stat':
      return { name: 'get_file_info', arguments: { path: args.path } };
    case 'move':
      return { name: 'move_file', arguments: { source: args.path, destination: args.destination } };
    case 'write_file':
      return { name: 'write_file', arguments: { path: args.path, content: args.content } };
    case 'edit_file':
      return { name: 'edit_file', arguments: { path: args.path, edits: args.edits } };
    default:
      throw new Error(`no reference equivalent for ${tool}`);
  }
}
