/**
 * The OpenTelemetry Collector's `clickhouse` exporter, emulated for tests on chDB: its DDL and the
 * rows it writes for one OTLP request (from its documented schema).
 */
import { attributeMap, type OtlpMetricsRequest } from '../core/field/otlp.ts';

// The exporter's DDL (sqltemplates/metrics_{exp_histogram,sum}_table.sql) with its placeholders
// filled as the exporter does by default; `time` is DateTime in current versions, DateTime64(9) before.
export function ddl(time: string): string[] {
  const common = `ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ResourceSchemaUrl String CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeDroppedAttrCount UInt32 CODEC(ZSTD(1)),
    ScopeSchemaUrl String CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription String CODEC(ZSTD(1)),
    MetricUnit String CODEC(ZSTD(1)),
    Attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    StartTimeUnix ${time} CODEC(Delta, ZSTD(1)),
    TimeUnix ${time} CODEC(Delta, ZSTD(1)),`;
  const exemplars = `Exemplars Nested (FilteredAttributes Map(LowCardinality(String), String), TimeUnix ${time}, Value Float64, SpanId String, TraceId String) CODEC(ZSTD(1)),`;
  const tail = `ENGINE = MergeTree PARTITION BY toDate(TimeUnix) ORDER BY (ServiceName, MetricName, toStartOfHour(TimeUnix), cityHash64(Attributes), TimeUnix)`;
  return [
    `CREATE DATABASE IF NOT EXISTS otel`,
    `CREATE TABLE otel.otel_metrics_exponential_histogram (${common}
    Count UInt64 CODEC(Delta, ZSTD(1)), Sum Float64 CODEC(ZSTD(1)), Scale Int32 CODEC(ZSTD(1)), ZeroCount UInt64 CODEC(ZSTD(1)),
    PositiveOffset Int32 CODEC(ZSTD(1)), PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1)),
    NegativeOffset Int32 CODEC(ZSTD(1)), NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1)),
    ${exemplars} Flags UInt32 CODEC(ZSTD(1)), Min Float64 CODEC(ZSTD(1)), Max Float64 CODEC(ZSTD(1)), AggregationTemporality Int32 CODEC(ZSTD(1))) ${tail}`,
    `CREATE TABLE otel.otel_metrics_sum (${common}
    Value Float64 CODEC(ZSTD(1)), Flags UInt32 CODEC(ZSTD(1)), ${exemplars}
    AggregationTemporality Int32 CODEC(ZSTD(1)), IsMonotonic Boolean CODEC(Delta, ZSTD(1))) ${tail}`,
  ];
}

/** What the exporter writes for one OTLP request: one row per data point, attributes as string maps. */
export function exporterRows(req: OtlpMetricsRequest): { hist: object[]; sum: object[] } {
  const hist: object[] = [];
  const sum: object[] = [];
  for (const rm of req.resourceMetrics) {
    const res = attributeMap(rm.resource.attributes);
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        const base = { ResourceAttributes: res, ServiceName: res['service.name'] ?? '', ScopeName: sm.scope.name, ScopeVersion: sm.scope.version ?? '', MetricName: m.name, MetricDescription: m.description ?? '', MetricUnit: m.unit ?? '' };
        // As text: a JSON number would be read as ticks by DateTime64(9).
        const t = (ns: string | number) => new Date(Number(BigInt(ns) / 1000000n)).toISOString();
        for (const dp of m.exponentialHistogram?.dataPoints ?? []) {
          hist.push({
            ...base,
            Attributes: attributeMap(dp.attributes),
            StartTimeUnix: t(dp.startTimeUnixNano),
            TimeUnix: t(dp.timeUnixNano),
            Count: Number(dp.count),
            Sum: dp.sum ?? 0,
            Scale: dp.scale,
            ZeroCount: Number(dp.zeroCount),
            PositiveOffset: dp.positive?.offset ?? 0,
            PositiveBucketCounts: (dp.positive?.bucketCounts ?? []).map(Number),
            NegativeOffset: 0,
            NegativeBucketCounts: [],
            Min: dp.min ?? 0,
            Max: dp.max ?? 0,
            AggregationTemporality: m.exponentialHistogram!.aggregationTemporality,
          });
        }
        for (const dp of m.sum?.dataPoints ?? []) {
          sum.push({ ...base, Attributes: attributeMap(dp.attributes), StartTimeUnix: t(dp.startTimeUnixNano), TimeUnix: t(dp.timeUnixNano), Value: Number(dp.asInt ?? dp.asDouble ?? 0), AggregationTemporality: m.sum!.aggregationTemporality, IsMonotonic: m.sum!.isMonotonic });
        }
      }
    }
  }
  return { hist, sum };
}

