export {
  type ErrorCode,
  type ErrorPayload,
  errorOfResult,
  handleToolErrors,
  ToolError,
  toErrorPayload,
  toolErrorResult,
} from './errors.ts';
export { createLogger, type Logger } from './logger.ts';
export { structuredResult } from './result.ts';
export { secretFromEnv } from './secrets.ts';
export {
  closeOnSignals,
  KEEP_ALIVE_MS,
  keepAliveLonger,
  parseServerFlags,
  type RunningServer,
  type RunServerOptions,
  runServer,
  type TransportFlags,
  TransportFlagsSchema,
} from './serve/index.ts';
export { defineTool, invalidArgument, registerTool, type ToolContext, type ToolSpec } from './tool.ts';
