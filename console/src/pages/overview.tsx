import { getJson } from '../api.ts';
import { ErrorBox, useLoad } from '../components/common.tsx';
import { Sparkline } from '../components/sparkline.tsx';
import { duration, percent, uptime } from '../format.ts';
import type { Overview, UpstreamView } from '../types.ts';

/** What an operator calls the upstream's condition: the breaker wins over the connection state. */
export function healthOf(upstream: UpstreamView): { label: string; tone: 'good' | 'warn' | 'bad' } {
  if (upstream.breaker.state === 'open') return { label: 'breaker open', tone: 'bad' };
  if (upstream.state === 'connected')
    return upstream.breaker.state === 'half-open' ? { label: 'breaker half-open', tone: 'warn' } : { label: 'connected', tone: 'good' };
  if (upstream.state === 'reconnecting' || upstream.state === 'connecting') return { label: 'restarting', tone: 'warn' };
  return { label: upstream.state, tone: 'bad' };
}

function UpstreamCard({ upstream }: { upstream: UpstreamView }) {
  const health = healthOf(upstream);
  const series = upstream.traffic?.series ?? [];
  const now = upstream.traffic?.now;
  return (
    <article class="card upstream" data-testid="upstream" data-upstream={upstream.name} data-health={health.label}>
      <header>
        <h3>{upstream.name}</h3>
        <span class={`badge tone-${health.tone}`}>{health.label}</span>
      </header>
      <dl class="facts">
        <dt>tools</dt>
        <dd data-testid="tool-count">{upstream.tools}</dd>
        <dt>transport</dt>
        <dd>{upstream.transport}</dd>
        <dt>restarts</dt>
        <dd>{upstream.restarts}</dd>
        <dt>in flight</dt>
        <dd>{upstream.inFlight}</dd>
      </dl>
      {upstream.error && <p class="error small">{upstream.error}</p>}
      {upstream.blockedTools?.length ? <p class="warn small">blocked (redefined): {upstream.blockedTools.join(', ')}</p> : null}
      <div class="metrics">
        <div>
          <span class="metric-label">calls/min</span>
          <strong>{now ? now.callsPerMin : '—'}</strong>
          <Sparkline values={series.map((p) => p.calls)} label={`${upstream.name} calls`} />
        </div>
        <div>
          <span class="metric-label">errors</span>
          <strong>{percent(now?.errorRate)}</strong>
          <Sparkline
            values={series.map((p) => (p.calls ? p.errors / p.calls : 0))}
            label={`${upstream.name} error rate`}
            colour="#d64545"
          />
        </div>
        <div>
          <span class="metric-label">p50 / p99</span>
          <strong>
            {duration(now?.p50Ms)} / {duration(now?.p99Ms)}
          </strong>
          <Sparkline values={series.map((p) => p.p99Ms)} label={`${upstream.name} p99 latency`} colour="#8e5bd5" />
        </div>
      </div>
    </article>
  );
}

export function OverviewPage() {
  const { data, error } = useLoad(() => getJson<Overview>('/v1/overview'), [], 5000);
  if (error && !data) return <ErrorBox error={error} />;
  if (!data) return <p class="loading">Loading…</p>;
  const { hub } = data;
  const connected = data.upstreams.filter((u) => healthOf(u).tone === 'good').length;
  return (
    <section>
      <h2>Overview</h2>
      {error && <ErrorBox error={error} />}
      <div class="card hub-facts">
        <span class={`badge tone-${hub.ready ? 'good' : 'bad'}`}>{hub.ready ? 'ready' : 'not ready'}</span>
        <span>
          <strong>{hub.name}</strong> v{hub.version}
        </span>
        <span>up {uptime(hub.uptimeSeconds)}</span>
        <span data-testid="connected-summary">
          {connected} / {data.upstreams.length} upstreams connected
        </span>
        <span>{hub.tools} tools</span>
        <span>
          stores: tasks <code>{hub.stores.tasks}</code>, audit <code>{hub.stores.audit}</code>
        </span>
        <span>{hub.callsInFlight} calls in flight</span>
        <span class="muted">Node {hub.node}</span>
      </div>
      <p class="muted small">Traffic: the last minute; sparklines one point per {Math.round(data.sampleMs / 1000)} s.</p>
      <div class="grid">
        {data.upstreams.map((upstream) => (
          <UpstreamCard key={upstream.name} upstream={upstream} />
        ))}
      </div>
    </section>
  );
}
