export {
  CALL_TOOL,
  CallToolInput,
  callToolDefinition,
  DISCOVERY_TOOLS,
  FIND_TOOLS,
  FindToolsInput,
  findToolsDefinition,
  invalidArgument,
  invalidInput,
  unwrapCall,
} from './discovery-tools.ts';
export { type DiscoveryHost, HubDiscovery, isDiscoveryTool, type ToolAdmits } from './hub-discovery.ts';
export { type RagCall, RagToolIndex } from './rag-tool-index.ts';
export { substringSearch } from './substring-search.ts';
export { type ToolDocument, toolDocument, withoutBoilerplate, words } from './tool-document.ts';
export { type FactsSource, toolFacts } from './tool-facts.ts';
export { type Candidate, type FindAnswer, ToolFinder, type ToolMatch } from './tool-finder.ts';
