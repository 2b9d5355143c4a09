import { type Context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface TracingOptions {
  /** OTLP/HTTP base URL, e.g. http://collector:4318 (traces go to <endpoint>/v1/traces). Unset: off. */
  endpoint?: string;
  headers?: Record<string, string>;
  serviceName?: string;
  /** Tests pass an in-memory exporter. */
  exporter?: SpanExporter;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * OpenTelemetry traces for calls through the hub: a server span per face request, a client span per
 * upstream call, and the W3C `traceparent` carried in `_meta` both ways (in from the caller, on to
 * the upstream), as protocol 2026-07-28 specifies. Off by default; without an exporter the spans
 * are non-recording, but an incoming `traceparent` still travels on to the upstream.
 *
 * No global provider is registered: the hub's spans never mix with an embedding app's.
 */
export class HubTracer {
  private readonly tracer: Tracer;
  private readonly provider: BasicTracerProvider | undefined;

  constructor(options: TracingOptions = {}) {
    const exporter =
      options.exporter ??
      (options.endpoint === undefined
        ? undefined
        : new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`, headers: options.headers ?? {} }));
    if (exporter === undefined) {
      this.tracer = trace.getTracerProvider().getTracer('switchboard');
      return;
    }
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'switchboard' }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
    });
    this.tracer = this.provider.getTracer('switchboard');
  }

  get enabled(): boolean {
    return this.provider !== undefined;
  }

  /** Starts a span under `parent` (a context, or a caller's `traceparent` string). */
  startSpan(
    name: string,
    options: { kind: 'server' | 'client' | 'internal'; parent?: Context | string; attributes?: Record<string, string | number | boolean> },
  ): { span: Span; context: Context } {
    const parent = typeof options.parent === 'string' ? contextFromTraceparent(options.parent) : (options.parent ?? ROOT_CONTEXT);
    const kind = options.kind === 'server' ? SpanKind.SERVER : options.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL;
    const span = this.tracer.startSpan(name, { kind, ...(options.attributes ? { attributes: options.attributes } : {}) }, parent);
    return { span, context: trace.setSpan(parent, span) };
  }

  /** Sends buffered spans now. */
  async flush(): Promise<void> {
    await this.provider?.forceFlush();
  }

  /** Flushes buffered spans and stops exporting; the hub calls it on shutdown. */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }
}

/** Ends a span with the outcome of the work it covered. */
export function endSpan(span: Span, error?: { code?: string; message: string }): void {
  if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error.code ? `${error.code}: ${error.message}` : error.message });
  span.end();
}

/** The W3C `traceparent` for the span in `context`, if there is a valid one. */
export function traceparentOf(context: Context | undefined): string | undefined {
  const spanContext = context === undefined ? undefined : trace.getSpanContext(context);
  if (spanContext === undefined || !trace.isSpanContextValid(spanContext)) return undefined;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${(spanContext.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** A context whose remote parent is the caller's span; a malformed value is ignored. */
export function contextFromTraceparent(value: string | undefined): Context {
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim().toLowerCase());
  if (match === null) return ROOT_CONTEXT;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  const spanContext = { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
  return trace.isSpanContextValid(spanContext) ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}
