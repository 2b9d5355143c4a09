/**
 * Resource URIs are namespaced by prefixing the upstream to the scheme: `demo://x` served by
 * upstream `everything` becomes `everything+demo://x`. The result is still a valid URI (a scheme may
 * contain `+`), URI templates stay templates (`everything+demo://r/{id}`), and since upstream names
 * cannot contain `+`, the first `+` always splits it back exactly.
 */
export function namespaceUri(upstream: string, uri: string): string {
  return `${upstream}+${uri}`;
}

/** The upstream and its own URI, or undefined for a URI no upstream could have been given. */
export function splitNamespacedUri(uri: string): { upstream: string; uri: string } | undefined {
  const plus = uri.indexOf('+');
  if (plus <= 0) return undefined;
  const upstream = uri.slice(0, plus);
  if (!/^[a-z][a-z0-9-]{0,23}$/.test(upstream)) return undefined;
  return { upstream, uri: uri.slice(plus + 1) };
}
