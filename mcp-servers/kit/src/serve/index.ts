export { parseServerFlags, type TransportFlags, TransportFlagsSchema } from './flags.ts';
export { type RunningServer, type RunServerOptions, runServer } from './run-server.ts';
export { closeOnSignals } from './shutdown.ts';
