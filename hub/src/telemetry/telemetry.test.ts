import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { HubMetrics } from './metrics.ts';
import { Telemetry } from './telemetry.ts';
import { contextFromTraceparent, endSpan, HubTracer, traceparentOf } from './tracing.ts';

describe('metrics', () => {
  it('counts calls, errors and latency per tool and upstream, and the breaker and queue gauges', async () => {
    const metrics = new HubMetrics({ processMetrics: false });
    metrics.observeCall({ tool: 'fs__read_file', upstream: 'fs', outcome: 'ok', seconds: 0.004 });
    metrics.observeCall({ tool: 'fs__read_file', upstream: 'fs', outcome: 'timeout', seconds: 1.2 });
    metrics.setBreakerState('fs', 'open');
    metrics.setQueueDepth('default', 7);
    const { body, contentType } = await metrics.render();
    assert.match(contentType, /^text\/plain/);
    assert.match(body, /switchboard_tool_calls_total\{tool="fs__read_file",upstream="fs",outcome="ok"\} 1/);
    assert.match(body, /switchboard_tool_call_errors_total\{tool="fs__read_file",upstream="fs",code="TIMEOUT"\} 1/);
    assert.match(body, /switchboard_tool_call_duration_seconds_count\{tool="fs__read_file",upstream="fs"\} 2/);
    assert.match(body, /switchboard_tool_call_duration_seconds_bucket\{le="0.005",tool="fs__read_file",upstream="fs"\} 1/);
    assert.match(body, /switchboard_upstream_breaker_state\{upstream="fs"\} 2/);
    assert.match(body, /switchboard_queue_depth\{queue="default"\} 7/);
  });

  it('keeps each hub’s metrics apart', async () => {
    const a = new HubMetrics({ processMetrics: false });
    const b = new HubMetrics({ processMetrics: false });
    a.countRestart('fs');
    assert.match((await a.render()).body, /switchboard_upstream_restarts_total\{upstream="fs"\} 1/);
    assert.doesNotMatch((await b.render()).body, /restarts_total\{upstream="fs"\}/);
  });
});

describe('tracing', () => {
  const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('continues the caller’s trace and hands a child traceparent on', async () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new HubTracer({ exporter });
    const server = tracer.startSpan('tools/call fs__read_file', { kind: 'server', parent });
    const client = tracer.startSpan('upstream fs read_file', { kind: 'client', parent: server.context });
    const onward = traceparentOf(client.context);
    assert.match(onward ?? '', /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    assert.notEqual(onward, parent);
    endSpan(client.span, { code: 'TIMEOUT', message: 'slow' });
    endSpan(server.span);
    await tracer.flush();
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(spans.map((s) => s.name).sort(), ['tools/call fs__read_file', 'upstream fs read_file']);
    const serverSpan = spans.find((s) => s.name.startsWith('tools/call'));
    assert.equal(serverSpan?.parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(spans.find((s) => s.name.startsWith('upstream'))?.status.message, 'TIMEOUT: slow');
    await tracer.shutdown();
  });

  it('is off by default but still passes an incoming traceparent through', () => {
    const tracer = new HubTracer();
    assert.equal(tracer.enabled, false);
    const { context } = tracer.startSpan('x', { kind: 'server', parent });
    assert.equal(traceparentOf(context), parent);
    assert.equal(traceparentOf(contextFromTraceparent('garbage')), undefined);
  });

  it('exports over OTLP/HTTP to the configured endpoint', async () => {
    const received: { url: string | undefined; type: string | undefined }[] = [];
    const collector = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push({ url: req.url, type: req.headers['content-type'] });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const telemetry = Telemetry.fromConfig({ tracing: { endpoint, serviceName: 'hub-test' } }, {});
      assert.equal(telemetry.tracer.enabled, true);
      endSpan(telemetry.tracer.startSpan('tools/call x', { kind: 'server' }).span);
      await telemetry.close();
      assert.equal(received.length, 1);
      assert.equal(received[0]?.url, '/v1/traces');
    } finally {
      collector.close();
    }
  });

  it('takes the endpoint from OTEL_EXPORTER_OTLP_ENDPOINT when the config has none', () => {
    assert.equal(Telemetry.fromConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }).tracer.enabled, true);
    assert.equal(Telemetry.fromConfig({}, {}).tracer.enabled, false);
  });
});
