import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import type { CallerChannel, InFlightCalls } from './caller.ts';

/**
 * Sends a request an upstream made mid-call (sampling, elicitation) back to the caller of that call.
 * Refused with a JSON-RPC error the upstream can show when no single caller can be identified or
 * the caller did not declare it supports the request (`send` returns undefined then).
 */
export async function routeToCaller<T>(
  inFlight: InFlightCalls,
  method: string,
  send: (caller: CallerChannel) => Promise<T> | undefined,
): Promise<T> {
  const found = inFlight.soleCaller();
  if ('reason' in found)
    throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `the Switchboard hub cannot forward ${method}: ${found.reason}`);
  const sent = send(found.caller);
  if (sent === undefined)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidRequest,
      `the Switchboard hub cannot forward ${method}: the calling client does not support it`,
    );
  return sent;
}
