export { parseServerFlags, type TransportFlags, TransportFlagsSchema } from './flags.ts';
export { KEEP_ALIVE_MS, keepAliveLonger } from './keep-alive.ts';
export { type RunningServer, type RunServerOptions, runServer } from './run-server.ts';
export { closeOnSignals } from './shutdown.ts';
