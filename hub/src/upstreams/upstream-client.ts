import {
  Client,
  type LoggingMessageNotificationParams,
  type ProgressNotificationParams,
  type VersionNegotiationOptions,
} from '@modelcontextprotocol/client';
import type { CallerChannel, InFlightCalls } from './caller.ts';
import { routeToCaller } from './route-to-caller.ts';
import type { ListsChanged } from './upstream-types.ts';

export interface UpstreamClientHooks {
  listChanged(kind: keyof ListsChanged): void;
  log(params: LoggingMessageNotificationParams): void;
  progress(params: ProgressNotificationParams): void;
  resourceUpdated(uri: string): void;
  /** The calls running on this upstream: where its sampling and elicitation requests go. */
  inFlight: InFlightCalls;
}

/**
 * The hub's MCP client for one upstream connection. It declares sampling and elicitation, so an
 * upstream may ask for them mid-call; the request goes back to that call's caller. On a 2026-07-28
 * connection those arrive as `input_required` results, which the SDK fulfils through the same
 * handlers, so the routing is the same in both eras.
 */
export function createUpstreamClient(hubName: string, hooks: UpstreamClientHooks, versionNegotiation?: VersionNegotiationOptions): Client {
  const client = new Client(
    { name: `${hubName}-hub`, version: '0.1.0' },
    { capabilities: { sampling: {}, elicitation: { form: {}, url: {} } }, ...(versionNegotiation ? { versionNegotiation } : {}) },
  );
  // Handled here rather than with the SDK's listChanged option, which only listens when the server
  // advertises listChanged: some servers send the notification without saying so.
  client.setNotificationHandler('notifications/tools/list_changed', () => hooks.listChanged('tools'));
  client.setNotificationHandler('notifications/prompts/list_changed', () => hooks.listChanged('prompts'));
  client.setNotificationHandler('notifications/resources/list_changed', () => hooks.listChanged('resources'));
  client.setNotificationHandler('notifications/message', (notification) => hooks.log(notification.params));
  client.setNotificationHandler('notifications/progress', (notification) => hooks.progress(notification.params));
  client.setNotificationHandler('notifications/resources/updated', (notification) => hooks.resourceUpdated(notification.params.uri));
  client.setRequestHandler('sampling/createMessage', (request, ctx) =>
    routeToCaller(hooks.inFlight, 'sampling/createMessage', (caller: CallerChannel) =>
      caller.canSample ? caller.sample(request.params, ctx.mcpReq.signal) : undefined,
    ),
  );
  client.setRequestHandler('elicitation/create', (request, ctx) =>
    routeToCaller(hooks.inFlight, 'elicitation/create', (caller: CallerChannel) =>
      caller.canElicit ? caller.elicit(request.params, ctx.mcpReq.signal) : undefined,
    ),
  );
  return client;
}
