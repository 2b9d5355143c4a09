export {
  type ContextPassage,
  contextError,
  type RetrievedContext,
  renderContext,
  retrieveContext,
  searchToolOf,
  sourcesOf,
} from './context.ts';
export { type SearchHit, type SearchRequest, searchCollection, type ToolCaller } from './search-result.ts';
export { McpVectorStore, type McpVectorStoreOptions } from './vector-store.ts';
