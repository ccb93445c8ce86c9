/**
 * Field data from many sessions merged into per-handler and per-sequence distributions and
 * counts, whatever store it came from (OTLP JSON files, ClickHouse): each store turns its rows
 * into `FieldPoint`s, this module keeps the newest point of each cumulative series (so retried
 * or repeated sends count once) and adds the sessions up. Exponential histograms merge exactly
 * at the coarsest scale among them, so the merged quantiles keep that scale's accuracy.
 */
import { TRANSITION_MODES, type TransitionMode } from '../model.ts';
import type { Summary } from '../distribution.ts';
import { ExpHistogram, type ExpHistogramState } from './exphist.ts';
import { ATTR, COUNTERS, METRIC_PREFIX, VARIANT_SEPARATOR, attributeMap, epochMs, expHistogramState, idFromWire, type OtlpMetricsRequest } from './otlp.ts';

/** One data point of one series, as any store yields it. */
export interface FieldPoint {
  /** `session.id`; points already merged across sessions by a store carry `sessions` instead. */
  session: string;
  /** How many sessions this point stands for (1 for a raw point; a store's pre-merged row: its count). */
  sessions?: number;
  app: string | null;
  build: string | null;
  metric: string;
  unit: string;
  attributes: Record<string, string>;
  /** Epoch ms of the point. */
  time: number;
  hist?: ExpHistogramState;
  value?: number;
}

/** A merged distribution of milliseconds (stored in the wire unit, read back in ms). */
export class FieldDistribution {
  constructor(
    readonly hist: ExpHistogram,
    /** Milliseconds per stored unit: 1000 for seconds. */
    readonly toMs: number,
  ) {}

  get count(): number {
    return this.hist.count;
  }

  /** Worst relative error of the quantiles read from it. */
  get relativeAccuracy(): number {
    return this.hist.relativeAccuracy;
  }

  quantile(q: number): number {
    return this.hist.quantile(q) * this.toMs;
  }

  /** Bounds on the order statistic of 0-based `rank`, in ms. */
  rankBounds(rank: number): { low: number; high: number } {
    const b = this.hist.rankBounds(rank);
    return { low: b.low * this.toMs, high: b.high * this.toMs };
  }

  /** Bucket values (ms) and counts, ascending. */
  *buckets(): Generator<{ value: number; count: number }> {
    for (const b of this.hist.buckets()) yield { value: b.value * this.toMs, count: b.count };
  }

  summary(): Summary {
    const h = this.hist;
    const empty = h.count === 0;
    return {
      count: h.count,
      mean: empty ? NaN : (h.sum / h.count) * this.toMs,
      min: empty ? NaN : h.min * this.toMs,
      max: empty ? NaN : h.max * this.toMs,
      p50: this.quantile(0.5),
      p75: this.quantile(0.75),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
    };
  }
}

export interface FieldHandler {
  name: string;
  calls: number;
  errors: number;
  modes: Record<TransitionMode, number>;
  longFrames: number;
  /** By metric id (see `metrics.ts`: `blocking`, `frameBlocking`, ...). */
  metrics: Record<string, FieldDistribution>;
  errorPatterns: Array<{ name: string; message: string; count: number }>;
}

export interface FieldSequence {
  name: string;
  runs: number;
  metrics: Record<string, FieldDistribution>;
  variants: Array<{ handlers: string[]; count: number }>;
  triggers: Record<string, number>;
}

/** Everything the field said, merged. */
export interface FieldSnapshot {
  /** Distinct sessions (or the sum a store reported). */
  sessions: number;
  apps: string[];
  builds: string[];
  /** Epoch ms of the oldest and newest point; NaN when there are none. */
  from: number;
  to: number;
  handlers: Map<string, FieldHandler>;
  sequences: Map<string, FieldSequence>;
  commits: { attributed: number; unattributed: number };
  /** What the pages said they could not send or left out. */
  exportFailures: number;
  exportDropped: number;
  /** Series points kept after de-duplication, and the points read. */
  points: number;
  read: number;
  /** Worst relative accuracy over the merged distributions (0 when there are none). */
  relativeAccuracy: number;
  /** Where it came from (files, a database), for the docs' provenance. */
  source: string;
  /** Other apps' points found beside the app read, and left out (a reader fills this in). */
  otherApps: Array<{ app: string | null; points: number }>;
}

function emptyModes(): Record<TransitionMode, number> {
  return { unknown: 0, none: 0, blocking: 0, transition: 0, mixed: 0 };
}

function unitToMs(unit: string, metric: string): number {
  if (unit === 's') return 1000;
  if (unit === 'ms') return 1;
  if (unit === 'us') return 0.001;
  throw new Error(`${metric}: unit "${unit}" is not a time unit Homeostat reads (s, ms, us)`);
}

/**
 * Buckets a merged distribution may span: 64 octaves at the page's scale 5, far beyond any
 * timing. Sessions whose buckets lie further apart merge at a coarser scale (and say so through
 * `relativeAccuracy`) instead of allocating billions of buckets.
 */
const MERGED_MAX_SIZE = 2048;

/** Keeps the newest point per series; `snapshot()` merges what is kept. */
export class FieldMerger {
  private readonly latest = new Map<string, FieldPoint>();
  private read = 0;
  private anonymous = 0;
  private totals: Partial<Pick<FieldSnapshot, 'sessions' | 'apps' | 'builds' | 'from' | 'to'>> = {};

  constructor(private readonly source: string) {}

  add(point: FieldPoint): void {
    this.read++;
    if (!point.metric.startsWith('homeostat.')) return;
    // Without a session id a point cannot be matched with its resends: it counts on its own.
    const session = point.session !== '' ? point.session : `\u0000anonymous-${this.anonymous++}`;
    const attrs = Object.keys(point.attributes)
      .sort()
      .map((k) => `${k}=${point.attributes[k]}`)
      .join('\u0000');
    const key = `${session}\u0001${point.metric}\u0001${attrs}`;
    const prev = this.latest.get(key);
    if (!prev || newer(point, prev)) this.latest.set(key, point);
  }

  addAll(points: Iterable<FieldPoint>): void {
    for (const p of points) this.add(p);
  }

  /** Totals a store computed itself over the raw points (it hands over pre-merged rows). */
  setTotals(totals: Partial<Pick<FieldSnapshot, 'sessions' | 'apps' | 'builds' | 'from' | 'to'>>): void {
    this.totals = { ...this.totals, ...totals };
  }

  snapshot(): FieldSnapshot {
    const handlers = new Map<string, FieldHandler>();
    const sequences = new Map<string, FieldSequence>();
    const sessions = new Map<string, number>();
    const apps = new Set<string>();
    const builds = new Set<string>();
    const commits = { attributed: 0, unattributed: 0 };
    let exportFailures = 0;
    let exportDropped = 0;
    let from = Infinity;
    let to = -Infinity;
    const handler = (name: string) => {
      let h = handlers.get(name);
      if (!h) handlers.set(name, (h = { name, calls: 0, errors: 0, modes: emptyModes(), longFrames: 0, metrics: {}, errorPatterns: [] }));
      return h;
    };
    const sequence = (name: string) => {
      let s = sequences.get(name);
      if (!s) sequences.set(name, (s = { name, runs: 0, metrics: {}, variants: [], triggers: {} }));
      return s;
    };
    const mergeInto = (into: Record<string, FieldDistribution>, metric: string, p: FieldPoint) => {
      const toMs = unitToMs(p.unit, p.metric);
      let d = into[metric];
      if (!d) into[metric] = d = new FieldDistribution(new ExpHistogram(p.hist!.scale, MERGED_MAX_SIZE), toMs);
      else if (d.toMs !== toMs) throw new Error(`${p.metric}: sessions disagree on its unit (${d.toMs} vs ${toMs} ms per unit)`);
      d.hist.merge(p.hist!);
    };

    for (const p of this.latest.values()) {
      sessions.set(p.session, Math.max(sessions.get(p.session) ?? 0, p.sessions ?? 1));
      if (p.app) apps.add(p.app);
      if (p.build) builds.add(p.build);
      from = Math.min(from, p.time);
      to = Math.max(to, p.time);
      const a = p.attributes;
      const n = p.value ?? 0;
      if (p.hist) {
        if (p.metric.startsWith(METRIC_PREFIX.handler) && a[ATTR.handler] !== undefined) {
          mergeInto(handler(a[ATTR.handler]).metrics, idFromWire(p.metric.slice(METRIC_PREFIX.handler.length)), p);
        } else if (p.metric.startsWith(METRIC_PREFIX.sequence) && a[ATTR.sequence] !== undefined) {
          mergeInto(sequence(a[ATTR.sequence]).metrics, idFromWire(p.metric.slice(METRIC_PREFIX.sequence.length)), p);
        }
        continue;
      }
      switch (p.metric) {
        case COUNTERS.calls: {
          if (a[ATTR.handler] === undefined) break;
          const h = handler(a[ATTR.handler]);
          h.calls += n;
          const mode = a[ATTR.mode] as TransitionMode;
          if ((TRANSITION_MODES as readonly string[]).includes(mode)) h.modes[mode] += n;
          break;
        }
        case COUNTERS.errors: {
          if (a[ATTR.handler] === undefined) break;
          const h = handler(a[ATTR.handler]);
          h.errors += n;
          const name = a[ATTR.errorType] ?? 'Error';
          const message = a[ATTR.errorMessage] ?? '';
          const e = h.errorPatterns.find((x) => x.name === name && x.message === message);
          if (e) e.count += n;
          else h.errorPatterns.push({ name, message, count: n });
          break;
        }
        case COUNTERS.longFrames:
          if (a[ATTR.handler] !== undefined) handler(a[ATTR.handler]).longFrames += n;
          break;
        case COUNTERS.runs: {
          if (a[ATTR.sequence] === undefined) break;
          const s = sequence(a[ATTR.sequence]);
          s.runs += n;
          const trigger = a[ATTR.trigger] ?? 'none';
          s.triggers[trigger] = (s.triggers[trigger] ?? 0) + n;
          const handlers = (a[ATTR.variant] ?? '').split(VARIANT_SEPARATOR).filter((x) => x !== '');
          const v = s.variants.find((x) => x.handlers.join('\u0000') === handlers.join('\u0000'));
          if (v) v.count += n;
          else s.variants.push({ handlers, count: n });
          break;
        }
        case COUNTERS.commits:
          if (a[ATTR.attributed] === 'true') commits.attributed += n;
          else commits.unattributed += n;
          break;
        case COUNTERS.exportFailures:
          exportFailures += n;
          break;
        case COUNTERS.exportDropped:
          exportDropped += n;
          break;
      }
    }
    let accuracy = 0;
    for (const h of handlers.values()) {
      h.errorPatterns.sort((x, y) => y.count - x.count || x.message.localeCompare(y.message));
      for (const d of Object.values(h.metrics)) if (d.count > 0) accuracy = Math.max(accuracy, d.relativeAccuracy);
    }
    for (const s of sequences.values()) {
      s.variants.sort((x, y) => y.count - x.count);
      for (const d of Object.values(s.metrics)) if (d.count > 0) accuracy = Math.max(accuracy, d.relativeAccuracy);
    }
    let total = 0;
    for (const n of sessions.values()) total += n;
    const t = this.totals;
    return {
      sessions: t.sessions ?? total,
      apps: t.apps ?? [...apps].sort(),
      builds: t.builds ?? [...builds].sort(),
      from: t.from ?? (Number.isFinite(from) ? from : NaN),
      to: t.to ?? (Number.isFinite(to) ? to : NaN),
      handlers,
      sequences,
      commits,
      exportFailures,
      exportDropped,
      points: this.latest.size,
      read: this.read,
      relativeAccuracy: accuracy,
      source: this.source,
      otherApps: [],
    };
  }
}

/** Cumulative series only grow: the later point wins, and at the same time the larger one. */
function newer(a: FieldPoint, b: FieldPoint): boolean {
  if (a.time !== b.time) return a.time > b.time;
  const size = (p: FieldPoint) => p.hist?.count ?? p.value ?? 0;
  return size(a) > size(b);
}

/** The points of one OTLP metrics request (already validated), Homeostat's metrics only. */
export function* pointsOfRequest(req: OtlpMetricsRequest): Generator<FieldPoint> {
  for (const rm of req.resourceMetrics ?? []) {
    const res = attributeMap(rm.resource?.attributes);
    const base = { session: res[ATTR.sessionId] ?? '', app: res[ATTR.serviceName] ?? null, build: res[ATTR.serviceVersion] ?? null };
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        if (!m.name.startsWith('homeostat.')) continue;
        for (const dp of m.exponentialHistogram?.dataPoints ?? []) {
          yield { ...base, metric: m.name, unit: m.unit ?? '', attributes: attributeMap(dp.attributes), time: epochMs(dp.timeUnixNano), hist: expHistogramState(dp) };
        }
        for (const dp of m.sum?.dataPoints ?? []) {
          const value = dp.asInt !== undefined ? Number(dp.asInt) : (dp.asDouble ?? 0);
          yield { ...base, metric: m.name, unit: m.unit ?? '1', attributes: attributeMap(dp.attributes), time: epochMs(dp.timeUnixNano), value };
        }
      }
    }
  }
}
