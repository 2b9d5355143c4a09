import { namespaceUri } from './uris.ts';

/**
 * Rewrites the resource URIs inside a result from an upstream (resource links and embedded
 * resources in tool results and prompt messages, contents of a read) into the hub's namespaced
 * form, so a caller can read them back through the hub. Everything else is left as it came.
 */
export function namespaceResultUris<T>(upstream: string, value: T): T {
  return rewrite(upstream, value, 0) as T;
}

function rewrite(upstream: string, value: unknown, depth: number): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => rewrite(upstream, item, depth + 1));
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (type === 'resource_link' && typeof record.uri === 'string') return { ...record, uri: namespaceUri(upstream, record.uri) };
  if (type === 'resource' && typeof record.resource === 'object' && record.resource !== null) {
    const resource = record.resource as Record<string, unknown>;
    return typeof resource.uri === 'string' ? { ...record, resource: { ...resource, uri: namespaceUri(upstream, resource.uri) } } : record;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(record)) {
    // structuredContent is the tool's own data, validated against its outputSchema: never touched.
    out[key] =
      key === 'content' || key === 'messages' || key === 'contents' || key === 'message'
        ? rewriteContainer(upstream, key, inner, depth)
        : inner;
  }
  return out;
}

function rewriteContainer(upstream: string, key: string, value: unknown, depth: number): unknown {
  if (key === 'contents' && Array.isArray(value)) {
    return value.map((item) =>
      item && typeof item === 'object' && typeof (item as { uri?: unknown }).uri === 'string'
        ? { ...(item as object), uri: namespaceUri(upstream, (item as { uri: string }).uri) }
        : item,
    );
  }
  return rewrite(upstream, value, depth + 1);
}
