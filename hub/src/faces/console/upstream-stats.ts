import type { Registry } from 'prom-client';

/** Cumulative counts of one upstream at one moment, read from the hub's Prometheus metrics. */
interface Reading {
  calls: number;
  errors: number;
  /** Histogram buckets: upper bound in seconds (Infinity last) → cumulative count. */
  buckets: Map<number, number>;
}

interface Sample {
  at: number;
  upstreams: Map<string, Reading>;
}

/** One point of a sparkline: what happened between the previous sample and `at`. */
export interface StatsPoint {
  at: string;
  calls: number;
  errors: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** The last minute (or what is known of it), for the numbers beside the sparklines. */
export interface StatsNow {
  callsPerMin: number;
  /** errors / calls, null without calls. */
  errorRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  windowMs: number;
}

export interface UpstreamStatsOptions {
  intervalMs?: number;
  /** Points kept per upstream. */
  points?: number;
  now?: () => number;
}

const CALLS = 'switchboard_tool_calls_total';
const DURATION = 'switchboard_tool_call_duration_seconds';

/**
 * Calls/min, error rate and p50/p99 latency per upstream, over time. Prometheus keeps only running
 * totals, so this samples them every `intervalMs` (default 10 s, 90 points: 15 minutes) and serves the
 * differences; quantiles are estimated from histogram buckets the way `histogram_quantile` does.
 */
export class UpstreamStats {
  private readonly samples: Sample[] = [];
  private readonly intervalMs: number;
  private readonly points: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: Registry,
    options: UpstreamStatsOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.points = options.points ?? 90;
    this.now = options.now ?? Date.now;
  }

  get sampleMs(): number {
    return this.intervalMs;
  }

  /** Takes a first sample now and one every interval; the timer never keeps the process alive. */
  start(): this {
    if (this.timer !== undefined) return this;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async sample(): Promise<void> {
    this.samples.push({ at: this.now(), upstreams: await this.read() });
    if (this.samples.length > this.points + 1) this.samples.splice(0, this.samples.length - this.points - 1);
  }

  /** The series of one upstream (oldest first) and its last minute, measured against a fresh reading. */
  async of(names: readonly string[]): Promise<Map<string, { now: StatsNow; series: StatsPoint[] }>> {
    const current: Sample = { at: this.now(), upstreams: await this.read() };
    const minuteAgo = [...this.samples].reverse().find((s) => current.at - s.at >= 60_000) ?? this.samples[0];
    const out = new Map<string, { now: StatsNow; series: StatsPoint[] }>();
    for (const name of names) {
      const series: StatsPoint[] = [];
      for (let i = 1; i < this.samples.length; i++) {
        const from = this.samples[i - 1] as Sample;
        const to = this.samples[i] as Sample;
        const d = difference(from.upstreams.get(name), to.upstreams.get(name));
        series.push({
          at: new Date(to.at).toISOString(),
          calls: d.calls,
          errors: d.errors,
          p50Ms: quantileMs(d, 0.5),
          p99Ms: quantileMs(d, 0.99),
        });
      }
      const windowMs = minuteAgo === undefined ? 0 : current.at - minuteAgo.at;
      const d = difference(minuteAgo?.upstreams.get(name), current.upstreams.get(name));
      out.set(name, {
        series,
        now: {
          callsPerMin: windowMs > 0 ? Math.round((d.calls * 60_000 * 10) / windowMs) / 10 : 0,
          errorRate: d.calls > 0 ? d.errors / d.calls : null,
          p50Ms: quantileMs(d, 0.5),
          p99Ms: quantileMs(d, 0.99),
          windowMs,
        },
      });
    }
    return out;
  }

  private async read(): Promise<Map<string, Reading>> {
    const readings = new Map<string, Reading>();
    const of = (upstream: string): Reading => {
      const known = readings.get(upstream);
      if (known !== undefined) return known;
      const reading: Reading = { calls: 0, errors: 0, buckets: new Map() };
      readings.set(upstream, reading);
      return reading;
    };
    const calls = await this.registry.getSingleMetric(CALLS)?.get();
    for (const { labels, value } of calls?.values ?? []) {
      const reading = of(String(labels.upstream));
      reading.calls += value;
      if (labels.outcome !== 'ok') reading.errors += value;
    }
    const duration = await this.registry.getSingleMetric(DURATION)?.get();
    for (const { labels, value, ...rest } of duration?.values ?? []) {
      // Histogram values carry the series they belong to (`…_bucket`, `…_sum`, `…_count`).
      if ((rest as { metricName?: string }).metricName !== `${DURATION}_bucket`) continue;
      const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le);
      const buckets = of(String(labels.upstream)).buckets;
      buckets.set(le, (buckets.get(le) ?? 0) + value);
    }
    return readings;
  }
}

function difference(before: Reading | undefined, after: Reading | undefined): Reading {
  const buckets = new Map<number, number>();
  for (const [le, count] of after?.buckets ?? []) buckets.set(le, count - (before?.buckets.get(le) ?? 0));
  return { calls: (after?.calls ?? 0) - (before?.calls ?? 0), errors: (after?.errors ?? 0) - (before?.errors ?? 0), buckets };
}

/**
 * The q-quantile in milliseconds from cumulative buckets, interpolated linearly inside the bucket
 * that holds it (as Prometheus' histogram_quantile); in the +Inf bucket, the highest finite bound.
 */
export function quantileMs(reading: Pick<Reading, 'buckets'>, q: number): number | null {
  const bounds = [...reading.buckets.keys()].sort((a, b) => a - b);
  const total = reading.buckets.get(Number.POSITIVE_INFINITY) ?? (bounds.length ? (reading.buckets.get(bounds.at(-1) as number) ?? 0) : 0);
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const le of bounds) {
    const count = reading.buckets.get(le) ?? 0;
    if (count >= rank) {
      if (le === Number.POSITIVE_INFINITY) return round(lower * 1000);
      const inBucket = count - below;
      const fraction = inBucket > 0 ? (rank - below) / inBucket : 1;
      return round((lower + (le - lower) * fraction) * 1000);
    }
    lower = le;
    below = count;
  }
  return round(lower * 1000);
}

const round = (ms: number) => Math.round(ms * 100) / 100;
