/**
 * OTLP/JSON shapes (opentelemetry-proto `collector/{metrics,trace}/v1` requests, proto3 JSON
 * mapping as the OTLP/HTTP spec amends it: lowerCamelCase keys, enums as integers, trace and
 * span ids as hex, 64-bit integers as decimal strings or numbers) and the few builders Homeostat
 * needs. Types only mirror the fields we write or read; the e2e receiver validates payloads
 * against the official .proto definitions.
 */
import type { ExpHistogramState } from './exphist.ts';

export type OtlpUint64 = string | number;

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: OtlpUint64;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
  bytesValue?: string;
}

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpResource {
  attributes: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpScope {
  name: string;
  version?: string;
}

export interface OtlpBuckets {
  offset: number;
  bucketCounts: OtlpUint64[];
}

export interface OtlpExpHistogramPoint {
  attributes: OtlpKeyValue[];
  startTimeUnixNano: OtlpUint64;
  timeUnixNano: OtlpUint64;
  count: OtlpUint64;
  sum?: number;
  scale: number;
  zeroCount: OtlpUint64;
  positive?: OtlpBuckets;
  negative?: OtlpBuckets;
  flags?: number;
  min?: number;
  max?: number;
  zeroThreshold?: number;
}

export interface OtlpNumberPoint {
  attributes: OtlpKeyValue[];
  startTimeUnixNano: OtlpUint64;
  timeUnixNano: OtlpUint64;
  asInt?: OtlpUint64;
  asDouble?: number;
  flags?: number;
}

/** `AggregationTemporality`: 1 delta, 2 cumulative. */
export const TEMPORALITY_DELTA = 1;
export const TEMPORALITY_CUMULATIVE = 2;

export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  sum?: { dataPoints: OtlpNumberPoint[]; aggregationTemporality: number; isMonotonic: boolean };
  exponentialHistogram?: { dataPoints: OtlpExpHistogramPoint[]; aggregationTemporality: number };
}

export interface OtlpMetricsRequest {
  resourceMetrics: Array<{ resource: OtlpResource; scopeMetrics: Array<{ scope: OtlpScope; metrics: OtlpMetric[] }> }>;
}

/** `Span.SpanKind`: 1 internal. `Status.StatusCode`: 0 unset, 1 ok, 2 error. */
export const SPAN_KIND_INTERNAL = 1;
export const STATUS_ERROR = 2;

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: OtlpUint64;
  endTimeUnixNano: OtlpUint64;
  attributes: OtlpKeyValue[];
  status?: { code: number; message?: string };
}

export interface OtlpTracesRequest {
  resourceSpans: Array<{ resource: OtlpResource; scopeSpans: Array<{ scope: OtlpScope; spans: OtlpSpan[] }> }>;
}

/** The instrumentation scope of everything Homeostat sends; its version is the metric schema's. */
export const SCOPE: OtlpScope = { name: 'homeostat', version: '1' };

/** Metric names: `homeostat.handler.<metric>`, `homeostat.sequence.<metric>` and these counters. */
export const METRIC_PREFIX = { handler: 'homeostat.handler.', sequence: 'homeostat.sequence.' } as const;
export const COUNTERS = {
  /** Handler calls, by transition mode (React's lanes). */
  calls: 'homeostat.handler.calls',
  /** Calls that threw or rejected, by error type and normalised message. */
  errors: 'homeostat.handler.errors',
  /** Calls whose frame was a Long Animation Frame. */
  longFrames: 'homeostat.handler.long_frames',
  /** Sequence runs, by handler order (variant) and trigger. */
  runs: 'homeostat.sequence.runs',
  /** React commits, attributed to a call or not. */
  commits: 'homeostat.react.commits',
  /** OTLP requests this session could not deliver (network error, HTTP error, page closing). */
  exportFailures: 'homeostat.export.failures',
  /** Series, spans or requests left out to keep payloads bounded. */
  exportDropped: 'homeostat.export.dropped',
} as const;

/** Attribute keys (resource ones follow the OpenTelemetry semantic conventions). */
export const ATTR = {
  serviceName: 'service.name',
  serviceVersion: 'service.version',
  sessionId: 'session.id',
  sdkName: 'telemetry.sdk.name',
  sdkLanguage: 'telemetry.sdk.language',
  sampleRate: 'homeostat.sample_rate',
  crossOriginIsolated: 'homeostat.cross_origin_isolated',
  clockResolution: 'homeostat.clock_resolution_ms',
  handler: 'homeostat.handler.name',
  sequence: 'homeostat.sequence.name',
  mode: 'homeostat.transition.mode',
  errorType: 'error.type',
  errorMessage: 'homeostat.error.message',
  variant: 'homeostat.sequence.variant',
  trigger: 'homeostat.sequence.trigger',
  attributed: 'homeostat.commit.attributed',
  what: 'homeostat.dropped.kind',
} as const;

/** A metric id as an OTLP metric name segment: `frameBlocking` → `frame_blocking` (OpenTelemetry names are snake_case). */
export function wireName(id: string): string {
  return id.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The metric id back from its OTLP name segment. */
export function idFromWire(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Separator of handler names in a sequence variant attribute. */
export const VARIANT_SEPARATOR = ' > ';

/** OTLP time: nanoseconds since the epoch as a decimal string (it exceeds 2^53). */
export function unixNano(epochMs: number): string {
  return (BigInt(Math.round(epochMs * 1000)) * 1000n).toString();
}

/** Epoch milliseconds of an OTLP time (string or number). */
export function epochMs(nanos: OtlpUint64): number {
  if (typeof nanos === 'number') return nanos / 1e6;
  return Number(BigInt(nanos) / 1000n) / 1000;
}

export function kv(key: string, value: string | number | boolean): OtlpKeyValue {
  if (typeof value === 'string') return { key, value: { stringValue: value } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  return { key, value: Number.isInteger(value) ? { intValue: value } : { doubleValue: value } };
}

/** A scalar attribute value as a string (how the collector's ClickHouse exporter stores them too). */
export function anyValueString(v: OtlpAnyValue): string {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  return JSON.stringify(v);
}

export function attributeMap(attrs: readonly OtlpKeyValue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of attrs ?? []) out[a.key] = anyValueString(a.value);
  return out;
}

/** Milliseconds in the page, seconds on the wire: the OpenTelemetry convention for durations. */
export const MS_PER_WIRE_UNIT = 1000;
export const WIRE_UNIT = 's';

/** A histogram state as an OTLP data point (the recorder already records in the wire unit). */
export function expHistogramPoint(h: ExpHistogramState, attributes: OtlpKeyValue[], start: string, time: string): OtlpExpHistogramPoint {
  const point: OtlpExpHistogramPoint = {
    attributes,
    startTimeUnixNano: start,
    timeUnixNano: time,
    count: h.count,
    sum: h.sum,
    scale: h.scale,
    zeroCount: h.zeroCount,
    positive: { offset: h.offset, bucketCounts: h.counts },
  };
  if (h.count > 0) {
    point.min = h.min;
    point.max = h.max;
  }
  return point;
}

/** The histogram state an OTLP point carries (positive buckets only: timings are never negative). */
export function expHistogramState(p: OtlpExpHistogramPoint): ExpHistogramState {
  const count = Number(p.count);
  return {
    scale: p.scale,
    count,
    sum: p.sum ?? 0,
    zeroCount: Number(p.zeroCount ?? 0),
    offset: p.positive?.offset ?? 0,
    counts: (p.positive?.bucketCounts ?? []).map(Number),
    min: p.min ?? (count > 0 ? 0 : Infinity),
    max: p.max ?? (count > 0 ? Infinity : -Infinity),
  };
}
