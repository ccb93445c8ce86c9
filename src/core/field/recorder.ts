/**
 * One session's field telemetry, ready for OTLP: per handler and metric an exponential
 * histogram, counts by transition mode, error patterns, long frames, per sequence its duration
 * and variants, React commits; and optionally spans for a sample of sequences.
 *
 * Metrics are cumulative per session (`session.id` is a resource attribute, start time = session
 * start), the OpenTelemetry SDK's default temporality. That makes every send idempotent: a
 * retried or duplicated payload carries the same series with a count at least as high, and
 * readers keep the newest point per series. So a failed send needs no queue: its series stay
 * dirty and ride in the next payload, and only series that changed since the last acknowledged
 * send are sent at all. Spans are not cumulative: they wait in a bounded queue until a send of
 * theirs is acknowledged.
 *
 * Pure: the worker feeds it, the page never holds it; Node tests simulate sessions with it.
 */
import { HANDLER_METRICS, METRICS, metricValue } from '../metrics.ts';
import type { HandlerCall, SequenceRecord, SessionMeta } from '../model.ts';
import { DEFAULT_MAX_SCALE, DEFAULT_MAX_SIZE, ExpHistogram } from './exphist.ts';
import {
  ATTR,
  COUNTERS,
  expHistogramPoint,
  kv,
  METRIC_PREFIX,
  MS_PER_WIRE_UNIT,
  SCOPE,
  SPAN_KIND_INTERNAL,
  STATUS_ERROR,
  TEMPORALITY_CUMULATIVE,
  unixNano,
  VARIANT_SEPARATOR,
  WIRE_UNIT,
  wireName,
  type OtlpKeyValue,
  type OtlpMetric,
  type OtlpMetricsRequest,
  type OtlpResource,
  type OtlpSpan,
  type OtlpTracesRequest,
} from './otlp.ts';

export interface FieldOptions {
  /** Share of sequences exported as spans (0 = none, the default). */
  spanSampleRate?: number;
  /** Spans sent per session at most (default 500); sequences sampled beyond it are dropped and counted. */
  maxSpans?: number;
  /** The session sample rate the page applied, sent as a resource attribute so totals can be scaled. */
  sampleRate?: number;
  /** Histogram resolution (default scale 5, ≈1.08% relative accuracy) and size (default 320 buckets). */
  maxScale?: number;
  maxSize?: number;
  /** Distinct handlers / sequences / error patterns per handler / variants per sequence kept. */
  maxHandlers?: number;
  maxSequences?: number;
  maxErrorPatterns?: number;
  maxVariants?: number;
}

/** Limits of one call to `collect`. */
export interface CollectOptions {
  /** Epoch ms of the export. */
  now: number;
  /** Largest request body, in bytes (default 60,000: under the 64 KB keepalive / sendBeacon quota). */
  maxBytes?: number;
  /** Failed sends the page has counted, reported as a counter. */
  failures?: number;
}

export interface FieldBatch {
  id: number;
  /** OTLP/JSON request bodies, each at most `maxBytes`. */
  metrics: string[];
  traces: string[];
  /** Data points and spans in the batch. */
  points: number;
  spans: number;
  bytes: number;
}

interface Series {
  key: string;
  metric: string;
  attributes: OtlpKeyValue[];
  version: number;
  sent: number;
}

interface HistSeries extends Series {
  kind: 'hist';
  hist: ExpHistogram;
  description: string;
}

interface SumSeries extends Series {
  kind: 'sum';
  value: number;
}

type AnySeries = HistSeries | SumSeries;

const DESCRIPTIONS: Record<string, string> = {
  [COUNTERS.calls]: 'Handler calls, by the transition mode React gave their updates',
  [COUNTERS.errors]: 'Handler calls that threw or rejected, by error type and normalised message',
  [COUNTERS.longFrames]: 'Handler calls whose frame was a Long Animation Frame',
  [COUNTERS.runs]: 'Sequence runs, by handler order and trigger',
  [COUNTERS.commits]: 'React commits, attributed to an instrumented call or not',
  [COUNTERS.exportFailures]: 'OTLP requests of this session that could not be delivered',
  [COUNTERS.exportDropped]: 'Series or spans left out of the export to keep it bounded',
};

/** Per sequence (the handler metrics live in `metrics.ts`, the one registry). */
const SEQUENCE_METRICS: ReadonlyArray<{ name: string; description: string; read(s: SequenceRecord): number | null }> = [
  { name: 'duration', description: 'Input event (or sequence start) to the paint after its last work', read: (s) => Math.max(0, s.end - s.start) },
  { name: 'interaction', description: 'Event Timing duration of the input that started the sequence', read: (s) => s.interactionMs },
  { name: 'result', description: 'Time to result: input event to the paint after the last work, transitions included', read: (s) => s.resultMs },
];

/** A usable sample: finite and non-negative (a clock glitch is dropped). */
function sample(v: number | null): number | null {
  return v !== null && Number.isFinite(v) && v >= 0 ? v : null;
}

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).length;

export class FieldRecorder {
  private readonly series = new Map<string, AnySeries>();
  private readonly handlers = new Set<string>();
  private readonly sequences = new Set<string>();
  private readonly patterns = new Map<string, number>();
  private readonly variants = new Map<string, number>();
  private spans: OtlpSpan[] = [];
  private spansTotal = 0;
  private readonly inFlight = new Map<number, { series: Array<[AnySeries, number]>; spans: OtlpSpan[] }>();
  private nextBatch = 1;
  private readonly opts: Required<FieldOptions>;

  constructor(
    private readonly meta: SessionMeta,
    options: FieldOptions = {},
    /** Uniform [0, 1): span sampling. */
    private readonly random: () => number = Math.random,
    /** `bytes` random bytes as lowercase hex: trace and span ids. */
    private readonly randomHex: (bytes: number) => string = defaultRandomHex,
  ) {
    this.opts = {
      spanSampleRate: clamp01(options.spanSampleRate ?? 0),
      maxSpans: options.maxSpans ?? 500,
      sampleRate: clamp01(options.sampleRate ?? 1),
      maxScale: options.maxScale ?? DEFAULT_MAX_SCALE,
      maxSize: options.maxSize ?? DEFAULT_MAX_SIZE,
      maxHandlers: options.maxHandlers ?? 200,
      maxSequences: options.maxSequences ?? 100,
      maxErrorPatterns: options.maxErrorPatterns ?? 20,
      maxVariants: options.maxVariants ?? 20,
    };
  }

  /** Records a finished call (the worker calls this as the attributor emits it). */
  addCall(call: HandlerCall): void {
    const handler = call.handler;
    if (!this.handlers.has(handler)) {
      if (this.handlers.size >= this.opts.maxHandlers) return this.drop('handler');
      this.handlers.add(handler);
    }
    const h = kv(ATTR.handler, handler);
    for (const m of HANDLER_METRICS) {
      const v = sample(metricValue(call, m));
      if (v !== null) this.hist(`${METRIC_PREFIX.handler}${wireName(m)}`, [h], METRICS[m].description).record(v / MS_PER_WIRE_UNIT);
    }
    this.count(COUNTERS.calls, [h, kv(ATTR.mode, call.mode)]);
    if (call.loaf) this.count(COUNTERS.longFrames, [h]);
    if (call.error) {
      const key = `${handler}\u0000${call.error.name}\u0000${call.error.message}`;
      const seen = this.patterns.get(handler) ?? 0;
      const known = this.series.has(`${COUNTERS.errors}\u0001${key}`);
      if (known || seen < this.opts.maxErrorPatterns) {
        if (!known) this.patterns.set(handler, seen + 1);
        this.count(COUNTERS.errors, [h, kv(ATTR.errorType, call.error.name), kv(ATTR.errorMessage, call.error.message)], 1, key);
      } else this.count(COUNTERS.errors, [h, kv(ATTR.errorType, 'Other'), kv(ATTR.errorMessage, '')], 1, `${handler}\u0000Other`);
    }
  }

  /** Records a closed sequence; `calls` are its calls (for spans). */
  addSequence(seq: SequenceRecord, calls: readonly HandlerCall[]): void {
    if (!this.sequences.has(seq.name)) {
      if (this.sequences.size >= this.opts.maxSequences) return this.drop('sequence');
      this.sequences.add(seq.name);
    }
    const s = kv(ATTR.sequence, seq.name);
    for (const m of SEQUENCE_METRICS) {
      const v = sample(m.read(seq));
      if (v !== null) this.hist(`${METRIC_PREFIX.sequence}${m.name}`, [s], m.description).record(v / MS_PER_WIRE_UNIT);
    }
    const trigger = seq.trigger?.type ?? (seq.explicit ? 'explicit' : 'none');
    let variant = seq.handlers.join(VARIANT_SEPARATOR);
    const known = this.variants.get(seq.name) ?? 0;
    const vkey = `${seq.name}\u0000${variant}\u0000${trigger}`;
    if (!this.series.has(`${COUNTERS.runs}\u0001${vkey}`)) {
      if (known >= this.opts.maxVariants) variant = '…other';
      else this.variants.set(seq.name, known + 1);
    }
    this.count(COUNTERS.runs, [s, kv(ATTR.variant, variant), kv(ATTR.trigger, trigger)], 1, `${seq.name}\u0000${variant}\u0000${trigger}`);
    if (this.opts.spanSampleRate > 0 && this.random() < this.opts.spanSampleRate) this.addSpans(seq, calls);
  }

  addCommit(attributed: boolean): void {
    this.count(COUNTERS.commits, [kv(ATTR.attributed, attributed)]);
  }

  /**
   * The OTLP requests for everything changed since the last acknowledged send, split so that
   * each body stays under `maxBytes`; null when nothing changed. Call `ack` with the result.
   */
  collect(options: CollectOptions): FieldBatch | null {
    const maxBytes = options.maxBytes ?? 60_000;
    if (options.failures !== undefined && options.failures > 0) this.set(COUNTERS.exportFailures, [], options.failures);
    const start = unixNano(this.meta.startedAt);
    const time = unixNano(Math.max(options.now, this.meta.startedAt));
    const resource = this.resource();
    const taken: Array<[AnySeries, number]> = [];
    const metrics: string[] = [];
    const shell = JSON.stringify(metricsRequest(resource, []));
    const base = byteLength(shell);
    let group: OtlpMetric[] = [];
    let size = base;
    let points = 0;
    const flushGroup = () => {
      if (group.length === 0) return;
      metrics.push(JSON.stringify(metricsRequest(resource, group)));
      group = [];
      size = base;
    };
    const dirty = [...this.series.values()].filter((s) => s.version > s.sent);
    // Grouped by metric so each request repeats a metric's header once.
    dirty.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
    for (const s of dirty) {
      const metric = this.metricFor(s, start, time);
      const pointBytes = byteLength(JSON.stringify(metric)) + 1;
      if (base + pointBytes > maxBytes) {
        // One series alone over the limit: never sendable, so count it instead of retrying forever.
        s.sent = s.version;
        this.drop('oversized');
        continue;
      }
      if (size + pointBytes > maxBytes) flushGroup();
      const last = group[group.length - 1];
      if (last && last.name === metric.name) {
        if (last.exponentialHistogram && metric.exponentialHistogram) last.exponentialHistogram.dataPoints.push(...metric.exponentialHistogram.dataPoints);
        else if (last.sum && metric.sum) last.sum.dataPoints.push(...metric.sum.dataPoints);
      } else group.push(metric);
      size += pointBytes;
      taken.push([s, s.version]);
      points++;
    }
    flushGroup();

    const spans = this.spans;
    this.spans = [];
    const traces: string[] = [];
    const spanShell = byteLength(JSON.stringify(tracesRequest(resource, [])));
    let batch: OtlpSpan[] = [];
    let spanSize = spanShell;
    for (const span of spans) {
      const bytes = byteLength(JSON.stringify(span)) + 1;
      if (spanShell + bytes > maxBytes) {
        this.drop('span');
        continue;
      }
      if (spanSize + bytes > maxBytes && batch.length > 0) {
        traces.push(JSON.stringify(tracesRequest(resource, batch)));
        batch = [];
        spanSize = spanShell;
      }
      batch.push(span);
      spanSize += bytes;
    }
    if (batch.length > 0) traces.push(JSON.stringify(tracesRequest(resource, batch)));
    if (metrics.length === 0 && traces.length === 0) return null;
    const id = this.nextBatch++;
    this.inFlight.set(id, { series: taken, spans });
    const bytes = [...metrics, ...traces].reduce((n, b) => n + byteLength(b), 0);
    return { id, metrics, traces, points, spans: spans.length, bytes };
  }

  /**
   * Settles a batch: on success its series are clean up to the versions it carried and its spans
   * are gone; on failure the series stay dirty and the spans go back to the front of the queue.
   */
  ack(id: number, ok: boolean): void {
    const b = this.inFlight.get(id);
    if (!b) return;
    this.inFlight.delete(id);
    if (ok) {
      for (const [s, v] of b.series) s.sent = Math.max(s.sent, v);
      return;
    }
    this.spans = b.spans.concat(this.spans);
  }

  private resource(): OtlpResource {
    const m = this.meta;
    const attributes = [
      kv(ATTR.serviceName, m.app ?? 'unknown_service'),
      ...(m.build !== null ? [kv(ATTR.serviceVersion, m.build)] : []),
      kv(ATTR.sessionId, m.id),
      kv(ATTR.sdkName, 'homeostat'),
      kv(ATTR.sdkLanguage, 'webjs'),
      kv(ATTR.sampleRate, this.opts.sampleRate),
      kv(ATTR.crossOriginIsolated, m.crossOriginIsolated),
      kv(ATTR.clockResolution, m.clockResolutionMs),
    ];
    // A double attribute must stay a double on the wire even when it is a whole number.
    for (const a of attributes) {
      if ((a.key === ATTR.sampleRate || a.key === ATTR.clockResolution) && a.value.intValue !== undefined) {
        a.value = { doubleValue: Number(a.value.intValue) };
      }
    }
    return { attributes };
  }

  private metricFor(s: AnySeries, start: string, time: string): OtlpMetric {
    if (s.kind === 'hist') {
      return {
        name: s.metric,
        description: s.description,
        unit: WIRE_UNIT,
        exponentialHistogram: {
          aggregationTemporality: TEMPORALITY_CUMULATIVE,
          dataPoints: [expHistogramPoint(s.hist.state(), s.attributes, start, time)],
        },
      };
    }
    return {
      name: s.metric,
      description: DESCRIPTIONS[s.metric] ?? '',
      unit: '1',
      sum: {
        aggregationTemporality: TEMPORALITY_CUMULATIVE,
        isMonotonic: true,
        dataPoints: [{ attributes: s.attributes, startTimeUnixNano: start, timeUnixNano: time, asInt: s.value }],
      },
    };
  }

  private hist(metric: string, attributes: OtlpKeyValue[], description: string): ExpHistogram {
    const key = `${metric}\u0001${attributes.map((a) => a.value.stringValue ?? '').join('\u0000')}`;
    let s = this.series.get(key);
    if (!s) {
      s = { kind: 'hist', key, metric, attributes, version: 0, sent: 0, hist: new ExpHistogram(this.opts.maxScale, this.opts.maxSize), description };
      this.series.set(key, s);
    }
    s.version++;
    return (s as HistSeries).hist;
  }

  private count(metric: string, attributes: OtlpKeyValue[], n = 1, id?: string): void {
    const s = this.sum(metric, attributes, id);
    s.value += n;
    s.version++;
  }

  private set(metric: string, attributes: OtlpKeyValue[], value: number): void {
    const s = this.sum(metric, attributes);
    if (s.value !== value) {
      s.value = value;
      s.version++;
    }
  }

  private sum(metric: string, attributes: OtlpKeyValue[], id?: string): SumSeries {
    const key = `${metric}\u0001${id ?? attributes.map((a) => JSON.stringify(a.value)).join('\u0000')}`;
    let s = this.series.get(key);
    if (!s) {
      s = { kind: 'sum', key, metric, attributes, version: 0, sent: 0, value: 0 };
      this.series.set(key, s);
    }
    return s as SumSeries;
  }

  private drop(what: 'handler' | 'sequence' | 'span' | 'oversized', n = 1): void {
    this.count(COUNTERS.exportDropped, [kv(ATTR.what, what)], n);
  }

  private addSpans(seq: SequenceRecord, calls: readonly HandlerCall[]): void {
    const origin = this.meta.timeOrigin;
    const traceId = this.randomHex(16);
    const root = this.randomHex(8);
    const ids = new Map<number, string>();
    for (const c of calls) ids.set(c.id, this.randomHex(8));
    const out: OtlpSpan[] = [
      {
        traceId,
        spanId: root,
        name: seq.name,
        kind: SPAN_KIND_INTERNAL,
        startTimeUnixNano: unixNano(origin + seq.start),
        endTimeUnixNano: unixNano(origin + Math.max(seq.start, seq.end)),
        attributes: [kv(ATTR.sequence, seq.name), kv(ATTR.trigger, seq.trigger?.type ?? (seq.explicit ? 'explicit' : 'none'))],
      },
    ];
    for (const c of calls) {
      const attributes: OtlpKeyValue[] = [kv(ATTR.handler, c.handler), kv(ATTR.mode, c.mode)];
      for (const m of HANDLER_METRICS) {
        const v = sample(metricValue(c, m));
        if (v !== null) attributes.push({ key: `homeostat.${wireName(m)}_ms`, value: { doubleValue: v } });
      }
      const span: OtlpSpan = {
        traceId,
        spanId: ids.get(c.id)!,
        parentSpanId: (c.parent !== null ? ids.get(c.parent) : undefined) ?? root,
        name: c.handler,
        kind: SPAN_KIND_INTERNAL,
        startTimeUnixNano: unixNano(origin + c.start),
        endTimeUnixNano: unixNano(origin + c.start + (c.settle ?? c.duration)),
        attributes,
      };
      if (c.error) {
        attributes.push(kv(ATTR.errorType, c.error.name));
        span.status = { code: STATUS_ERROR, message: c.error.message };
      }
      out.push(span);
    }
    // A per-session cap: the queue can never outgrow it either.
    if (this.spansTotal + out.length > this.opts.maxSpans) return this.drop('span', out.length);
    this.spansTotal += out.length;
    this.spans.push(...out);
  }
}

export function metricsRequest(resource: OtlpResource, metrics: OtlpMetric[]): OtlpMetricsRequest {
  return { resourceMetrics: [{ resource, scopeMetrics: [{ scope: SCOPE, metrics }] }] };
}

export function tracesRequest(resource: OtlpResource, spans: OtlpSpan[]): OtlpTracesRequest {
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: SCOPE, spans }] }] };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

function defaultRandomHex(bytes: number): string {
  const a = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(a);
  let out = '';
  for (const b of a) out += b.toString(16).padStart(2, '0');
  // An all-zero id is invalid in OTLP.
  return /^0+$/.test(out) ? defaultRandomHex(bytes) : out;
}
