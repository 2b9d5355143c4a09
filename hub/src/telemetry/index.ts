export { CORRELATION_META_KEY, correlationIdFrom } from './correlation.ts';
export { type CallOutcome, HubMetrics } from './metrics.ts';
export { Telemetry, type TelemetryOptions } from './telemetry.ts';
export { contextFromTraceparent, endSpan, HubTracer, type TracingOptions, traceparentOf } from './tracing.ts';
