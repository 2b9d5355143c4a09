export { Catalog, type CatalogEntry } from './catalog.ts';
export { MAX_TOOL_NAME, namespacedName, SEPARATOR } from './names.ts';
