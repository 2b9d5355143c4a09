import { posix } from 'node:path';
import { ToolError } from '@switchboard/kit';
import type { CollectionMeta } from './backend.ts';

const COLLECTION = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** Collection names double as index file names: lowercase letters, digits, _ . -, never a path. */
export function checkCollectionName(name: string, field = 'collection'): void {
  if (!COLLECTION.test(name) || name.includes('..'))
    throw new ToolError(
      'INVALID_ARGUMENT',
      `collection '${name.slice(0, 80)}' is not a valid name (lowercase letters, digits, _ . -; at most 64)`,
      field,
    );
}

/** The server's collection allowlist (globs with * and ?). */
export function checkCollectionAllowed(patterns: readonly string[], name: string, field = 'collection'): void {
  if (patterns.some((pattern) => globToRegExp(pattern).test(name))) return;
  throw new ToolError('ACL_DENIED', `collection '${name}' is not allowed on this server (allowed: ${patterns.join(', ')})`, field);
}

export function refuseWhenReadOnly(readOnly: boolean, action: string): void {
  if (readOnly) throw new ToolError('READ_ONLY', `${action} is refused: this rag server is read-only`);
}

export interface DocumentLimits {
  maxDocumentBytes: number;
  maxMetadataBytes: number;
}

/** Per-document limits, checked before anything is embedded or written; errors name the document's field. */
export function checkDocuments(
  documents: readonly { id: string; text: string; metadata?: Record<string, unknown> }[],
  limits: DocumentLimits,
): void {
  const seen = new Set<string>();
  documents.forEach((doc, i) => {
    if (seen.has(doc.id)) throw new ToolError('INVALID_ARGUMENT', `document id '${doc.id}' appears twice in one call`, `documents.${i}.id`);
    seen.add(doc.id);
    const bytes = Buffer.byteLength(doc.text, 'utf8');
    if (bytes > limits.maxDocumentBytes)
      throw new ToolError(
        'TOO_LARGE',
        `document '${doc.id}' is ${bytes} bytes; the limit is ${limits.maxDocumentBytes} (split it)`,
        `documents.${i}.text`,
      );
    if (doc.metadata !== undefined) {
      const metaBytes = Buffer.byteLength(JSON.stringify(doc.metadata), 'utf8');
      if (metaBytes > limits.maxMetadataBytes)
        throw new ToolError(
          'TOO_LARGE',
          `metadata of '${doc.id}' is ${metaBytes} bytes; the limit is ${limits.maxMetadataBytes}`,
          `documents.${i}.metadata`,
        );
    }
  });
}

/** A collection keeps the embedder it was built with: vectors of another one would not be comparable. */
export function checkEmbedderMatches(
  meta: Pick<CollectionMeta, 'name' | 'embedder' | 'dimensions'>,
  embedder: string,
  dimensions: number | undefined,
): void {
  if (meta.embedder === embedder && meta.dimensions === dimensions) return;
  const ours = dimensions === undefined ? `'${embedder}'` : `'${embedder}' (${dimensions})`;
  throw new ToolError(
    'INVALID_CONFIG',
    `collection '${meta.name}' was built with embedder '${meta.embedder}' (${meta.dimensions} dimensions) but this server embeds with ${ours}; ` +
      'restart the server with the collection’s embedder, search it in lexical mode, or re-index into a new collection',
    'collection',
  );
}

/** Lexical confinement of a path under the index_path roots: no NUL, no backslash, no way above a root. */
export function resolveInsideRoot(
  roots: readonly string[],
  requested: string,
  field = 'path',
): { root: string; absolute: string; relative: string } {
  if (requested.includes('\0')) throw new ToolError('INVALID_ARGUMENT', 'path contains a NUL byte', field);
  if (requested.includes('\\')) throw new ToolError('INVALID_ARGUMENT', `path '${requested}' contains a backslash; use '/'`, field);
  const first = roots[0];
  if (first === undefined) throw new ToolError('ACL_DENIED', 'index_path is disabled: this server has no --root', field);
  const absolute = stripSlash(posix.isAbsolute(requested) ? posix.normalize(requested) : posix.join(first, requested || '.'));
  const root = roots.find((candidate) => isInside(candidate, absolute));
  if (root === undefined)
    throw new ToolError('ACL_DENIED', `path '${requested}' is outside the allowed roots (${roots.join(', ')})`, field);
  return { root, absolute, relative: posix.relative(root, absolute) };
}

export function isInside(root: string, path: string): boolean {
  const base = stripSlash(root);
  const target = stripSlash(path);
  return target === base || target.startsWith(base === '/' ? '/' : `${base}/`);
}

function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}
