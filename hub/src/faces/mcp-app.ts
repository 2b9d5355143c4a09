import { hostHeaderValidation, localhostHostValidation, localhostOriginValidation, originValidation } from '@modelcontextprotocol/hono';
import { DEFAULT_MAX_REQUEST_BODY_SIZE, isJsonContentType, readRequestBody } from '@modelcontextprotocol/server';
import { Hono, type HonoRequest } from 'hono';
import { DEFAULT_JSON_SHAPE_LIMITS, type JsonShapeLimits, jsonShapeViolation } from './json-shape.ts';

export interface McpAppOptions {
  host: string;
  allowedHosts?: string[];
  allowedOrigins?: string[];
  maxRequestBodySize?: number;
  shape?: JsonShapeLimits;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];
const PARSED_BODY = 'parsedBody' as never;

/**
 * The Hono app every hub route hangs off: what the SDK's createMcpHonoApp sets up (Host/Origin
 * checks against DNS rebinding on loopback binds, a JSON body parser that answers 413 before
 * parsing an oversized body), with two differences for hostile input: a body that is not JSON is
 * answered as JSON-RPC says (-32700 Parse error, not a text/plain 400), and a body over the shape
 * limits (json-shape.ts) is refused before any handler walks it.
 */
export function createMcpApp(options: McpAppOptions): Hono {
  const { host, allowedHosts, allowedOrigins } = options;
  const maxBytes = options.maxRequestBodySize ?? DEFAULT_MAX_REQUEST_BODY_SIZE;
  const shape = options.shape ?? DEFAULT_JSON_SHAPE_LIMITS;
  const app = new Hono();
  if (allowedHosts) app.use('*', hostHeaderValidation(allowedHosts));
  else if (LOOPBACK.includes(host)) app.use('*', localhostHostValidation());
  if (allowedOrigins) app.use('*', originValidation(allowedOrigins));
  else if (LOOPBACK.includes(host)) app.use('*', localhostOriginValidation());
  app.use('*', async (c, next) => {
    if (!isJsonContentType(c.req.header('content-type'))) return next();
    const text = await boundedBody(c.req, maxBytes);
    if (text === undefined) return c.json(rpcError(-32000, `Payload Too Large: Request body must not exceed ${maxBytes} bytes`), 413);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return c.json(rpcError(-32700, `Parse error: ${(error as Error).message}`), 400);
    }
    const violation = jsonShapeViolation(parsed, shape);
    if (violation !== undefined) return c.json(rpcError(-32600, `Invalid Request: ${violation}`), 400);
    c.set(PARSED_BODY, parsed as never);
    return next();
  });
  return app;
}

/**
 * The body as text, or undefined when it is over `maxBytes` (never read past that). With a
 * Content-Length (the usual case) the length is checked first and the body read straight from the
 * socket, cached for later readers (c.req.json()); a chunked body is read as a stream, up to the limit.
 */
async function boundedBody(req: HonoRequest, maxBytes: number): Promise<string | undefined> {
  const declared = req.header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared)) return Number(declared) > maxBytes ? undefined : req.text();
  const body = await readRequestBody(req.raw.clone(), maxBytes);
  return body.tooLarge ? undefined : body.text;
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0' as const, error: { code, message }, id: null };
}
