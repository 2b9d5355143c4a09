export { Catalog, type CatalogEntry, type CatalogEvents, ORIGIN_META_KEY, type PromptEntry } from './catalog.ts';
export { type NameAssignment, type NameKind, NameRegistry, nameRegistryOf } from './name-registry.ts';
export { isClientSafeName, MAX_TOOL_NAME, namespacedName, SEPARATOR } from './names.ts';
export { AGENT_SERVER, annotationTags, HUB_SERVER, loadProfiles, parseToolsParam, type ToolFacts, ToolView } from './profiles.ts';
export { namespaceResultUris } from './rewrite.ts';
export { namespaceUri, splitNamespacedUri } from './uris.ts';
