export { type Decision, decideTool, type ToolRules } from './allowlist.ts';
export { matchesAnyGlob, toolGlobToRegExp } from './glob.ts';
