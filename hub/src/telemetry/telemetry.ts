import { HubMetrics } from './metrics.ts';
import { HubTracer, type TracingOptions } from './tracing.ts';

export interface TelemetryOptions {
  tracing?: TracingOptions;
  /** Node process metrics (CPU, memory, event loop) beside the hub's own; default on. */
  processMetrics?: boolean;
}

/** Metrics and traces of one hub; logs stay with the hub's pino logger. */
export class Telemetry {
  readonly metrics: HubMetrics;
  readonly tracer: HubTracer;

  constructor(options: TelemetryOptions = {}) {
    this.metrics = new HubMetrics({ processMetrics: options.processMetrics ?? true });
    this.tracer = new HubTracer(options.tracing ?? {});
  }

  /**
   * From the config's `telemetry` section; the standard `OTEL_EXPORTER_OTLP_ENDPOINT` turns tracing
   * on when the config names no endpoint.
   */
  static fromConfig(
    config: { tracing?: { endpoint?: string; headers?: Record<string, string>; serviceName?: string } } = {},
    env = process.env,
  ): Telemetry {
    const endpoint = config.tracing?.endpoint ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined);
    return new Telemetry({ tracing: { ...config.tracing, ...(endpoint ? { endpoint } : {}) } });
  }

  async close(): Promise<void> {
    await this.tracer.shutdown();
  }
}
