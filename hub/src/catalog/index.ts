export { Catalog, type CatalogEntry, type CatalogEvents, type PromptEntry } from './catalog.ts';
export { MAX_TOOL_NAME, namespacedName, SEPARATOR } from './names.ts';
export { namespaceResultUris } from './rewrite.ts';
export { namespaceUri, splitNamespacedUri } from './uris.ts';
