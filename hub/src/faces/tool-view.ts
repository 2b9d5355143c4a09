import type { Tool } from '@modelcontextprotocol/server';
import { parseToolsParam, type ToolFacts, ToolView } from '../catalog/index.ts';
import { HubDiscovery, toolFacts } from '../discovery/index.ts';
import type { Hub } from '../hub.ts';
import type { Principal } from '../policy/index.ts';

/** The server and tags a profile matches a tool by. */
export function factsOf(hub: Hub, tool: Tool): ToolFacts {
  return toolFacts(
    { catalog: hub.catalog, upstreamTags: (name) => hub.config.upstreams[name]?.tags ?? [], isAgent: (name) => hub.agents.has(name) },
    tool,
  );
}

/** What `tools/list` shows this caller through this view: its role's tools, narrowed by the view. */
export function visibleTools(hub: Hub, principal: Principal, view: ToolView): Tool[] {
  const tools = hub.listTools(principal);
  return view.isAll ? tools : tools.filter((tool) => view.admits(factsOf(hub, tool)));
}

/**
 * What `tools/list` shows through this view. A lazy view shows the hub's and agents' tools, the
 * discovery tools, and the tools this session has found (all the others stay callable).
 */
export function listedTools(hub: Hub, principal: Principal, view: ToolView, found?: ReadonlySet<string>): Tool[] {
  const tools = visibleTools(hub, principal, view);
  if (!view.lazy) return tools;
  const shown = tools.filter((tool) => tool.name.startsWith('hub__') || tool.name.startsWith('agent__') || found?.has(tool.name) === true);
  const discovery = HubDiscovery.definitions.filter((tool) => hub.policy.canSee(principal, tool.name));
  return [...shown, ...discovery].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** May a call to `name` go through this view? (Unknown names are left to the hub to refuse.) */
export function viewAdmits(hub: Hub, view: ToolView, name: string): boolean {
  if (view.isAll) return true;
  const tool = hub.listTools().find((t) => t.name === name);
  return tool === undefined || view.admits(factsOf(hub, tool));
}

/**
 * The view a request asks for: `profile` (from `/mcp/<profile>` or `--profile`) and `?tools=`
 * globs. An unknown profile or a malformed glob is an error the caller sees, never a silently empty list.
 */
export function resolveView(hub: Hub, profile: string | undefined, toolsParam: string | null | undefined): ToolView | { error: string } {
  const narrow = parseToolsParam(toolsParam);
  if ('error' in narrow) return narrow;
  if (profile === undefined) return narrow.length === 0 ? ToolView.ALL : new ToolView(undefined, narrow);
  const found = hub.profiles.get(profile);
  if (found === undefined) {
    const names = [...hub.profiles.keys()].sort();
    return { error: `no profile '${profile}' (profiles: ${names.length > 0 ? names.join(', ') : 'none configured'})` };
  }
  return new ToolView(found, narrow);
}
