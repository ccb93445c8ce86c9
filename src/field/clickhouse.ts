/**
 * Field data from ClickHouse, as the OpenTelemetry Collector's `clickhouse` exporter writes it
 * (its `otel_metrics_exponential_histogram` and `otel_metrics_sum` tables). The store does the
 * heavy lifting, so thousands of sessions cost one small result: per session it keeps the newest
 * point of each cumulative series (`argMax` by time, then count: resends count once), then per
 * series it re-indexes every session's buckets to their smallest common scale and adds them up
 * (`sumMap`), which is the exact exponential-histogram merge. Only the stable columns of the
 * exporter's schema are read (both its DateTime64(9) and DateTime time columns work).
 *
 * The same SQL runs on a ClickHouse server (`@clickhouse/client` over HTTP) or embedded in the
 * process with chDB (ClickHouse's own engine as a library) for a local store.
 */
import { FieldMerger, type FieldPoint, type FieldSnapshot } from '../core/field/merge.ts';
import { chooseApp } from './apps.ts';
import { counterProblems, histogramProblems } from '../core/field/validate.ts';

/** A row of the store that no histogram or counter can mean; `where` names its series. */
export class FieldStoreError extends Error {
  constructor(
    readonly where: string,
    readonly issues: string[],
  ) {
    super(`${where}: not field data Homeostat can read:\n  ${issues.join('\n  ')}`);
    this.name = 'FieldStoreError';
  }
}

/** Runs a parameterised query (`{name:Type}` placeholders) and returns its rows (JSONEachRow). */
export type ClickHouseQuery = (sql: string, params: Record<string, string | number>) => Promise<Array<Record<string, unknown>>>;

export interface ClickHouseTables {
  database: string;
  expHistogram: string;
  sum: string;
}

/** The exporter's defaults: database `otel`, tables `otel_metrics_exponential_histogram` and `otel_metrics_sum`. */
export const DEFAULT_TABLES: ClickHouseTables = { database: 'otel', expHistogram: 'otel_metrics_exponential_histogram', sum: 'otel_metrics_sum' };

export interface FieldFilter {
  /** `service.name` (the app); all apps when absent. */
  app?: string;
  /** Only points at or after this time. */
  since?: Date;
}

const WHERE = `startsWith(MetricName, 'homeostat.')
      AND ({app:String} = '' OR ServiceName = {app:String})
      AND TimeUnix >= toDateTime({since:UInt32})`;

/** Per series, the merged histogram of every session's newest point. */
export const HISTOGRAM_SQL = `
SELECT
  MetricName AS metric,
  any(unit) AS unit,
  Attributes AS attributes,
  min(common) AS scale,
  count() AS sessions,
  sum(p.2) AS count,
  sum(p.3) AS sum,
  sum(p.4) AS zero,
  min(p.7) AS min,
  max(p.8) AS max,
  toUnixTimestamp(max(t)) * 1000 AS time,
  sumMap(arrayMap(i -> toInt64(floor((p.5 + i - 1) / exp2(p.1 - common))), arrayEnumerate(p.6)), p.6) AS buckets
FROM (
  SELECT *, min(p.1) OVER (PARTITION BY MetricName, Attributes) AS common
  FROM (
    SELECT
      MetricName,
      any(MetricUnit) AS unit,
      Attributes,
      ResourceAttributes['session.id'] AS session,
      argMax(tuple(Scale, Count, Sum, ZeroCount, PositiveOffset, PositiveBucketCounts, Min, Max), tuple(TimeUnix, Count)) AS p,
      max(TimeUnix) AS t
    FROM {db:Identifier}.{hist:Identifier}
    WHERE ${WHERE}
    GROUP BY MetricName, Attributes, session
  )
)
GROUP BY MetricName, Attributes`;

/** Per series, the sum over sessions of each session's newest (largest) cumulative count. */
export const SUM_SQL = `
SELECT
  MetricName AS metric,
  any(unit) AS unit,
  Attributes AS attributes,
  sum(v) AS value,
  count() AS sessions,
  toUnixTimestamp(max(t)) * 1000 AS time
FROM (
  SELECT
    MetricName,
    any(MetricUnit) AS unit,
    Attributes,
    ResourceAttributes['session.id'] AS session,
    argMax(Value, tuple(TimeUnix, Value)) AS v,
    max(TimeUnix) AS t
  FROM {db:Identifier}.{sum:Identifier}
  WHERE ${WHERE}
  GROUP BY MetricName, Attributes, session
)
GROUP BY MetricName, Attributes`;

/** Sessions, apps, builds and the time span, over the counters every session sends. */
export const TOTALS_SQL = `
SELECT
  uniqExact(ResourceAttributes['session.id']) AS sessions,
  groupUniqArray(ServiceName) AS apps,
  groupUniqArray(ResourceAttributes['service.version']) AS builds,
  toUnixTimestamp(min(TimeUnix)) * 1000 AS from,
  toUnixTimestamp(max(TimeUnix)) * 1000 AS to
FROM {db:Identifier}.{sum:Identifier}
WHERE ${WHERE}`;

/** Points per app (`service.name`) over the counters every session sends. */
export const APPS_SQL = `
SELECT ServiceName AS app, count() AS points
FROM {db:Identifier}.{sum:Identifier}
WHERE startsWith(MetricName, 'homeostat.') AND TimeUnix >= toDateTime({since:UInt32})
GROUP BY ServiceName
ORDER BY ServiceName`;

function params(tables: ClickHouseTables, filter: FieldFilter): Record<string, string | number> {
  return {
    db: tables.database,
    hist: tables.expHistogram,
    sum: tables.sum,
    app: filter.app ?? '',
    since: filter.since ? Math.floor(filter.since.getTime() / 1000) : 0,
  };
}

const STORE_SESSION = '\u0000store';

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

/** A merged histogram row as a point: sparse (index, count) pairs to OTLP's dense buckets. */
export function histogramPoint(row: Record<string, unknown>): FieldPoint {
  const [keys, values] = (row['buckets'] as [unknown[], unknown[]] | undefined) ?? [[], []];
  const idx = keys.map(num);
  const cnt = values.map(num);
  const offset = idx.reduce((a, b) => Math.min(a, b), idx.length > 0 ? Infinity : 0);
  const last = idx.reduce((a, b) => Math.max(a, b), offset - 1);
  const scale = num(row['scale']);
  const where = `${String(row['metric'])} ${JSON.stringify(row['attributes'] ?? {})} in the store`;
  // Check the bounds before the dense array is allocated (a hostile offset would allocate billions).
  const span = histogramProblems({ scale, count: 0, sum: 0, zeroCount: 0, offset, counts: [], min: 0, max: 0 }).concat(
    idx.length > 0 ? histogramProblems({ scale, count: 1, sum: 0, zeroCount: 0, offset: last, counts: [1], min: 0, max: 0 }) : [],
  );
  if (span.length > 0 || !idx.every(Number.isSafeInteger)) throw new FieldStoreError(where, span.length > 0 ? span : ['bucket indexes are not integers']);
  const counts = idx.length > 0 ? new Array<number>(last - offset + 1).fill(0) : [];
  idx.forEach((k, i) => (counts[k - offset]! += cnt[i]!));
  const count = num(row['count']);
  const hist = { scale, count, sum: num(row['sum']), zeroCount: num(row['zero']), offset, counts, min: num(row['min']), max: num(row['max']) };
  const problems = histogramProblems(hist);
  if (problems.length > 0) throw new FieldStoreError(where, problems);
  return {
    session: STORE_SESSION,
    sessions: num(row['sessions']),
    app: null,
    build: null,
    metric: String(row['metric']),
    unit: String(row['unit'] ?? ''),
    attributes: stringMap(row['attributes']),
    time: num(row['time']),
    hist,
  };
}

export function sumPoint(row: Record<string, unknown>): FieldPoint {
  const problems = counterProblems(num(row['value']));
  if (problems.length > 0) throw new FieldStoreError(`${String(row['metric'])} ${JSON.stringify(row['attributes'] ?? {})} in the store`, problems);
  return {
    session: STORE_SESSION,
    sessions: num(row['sessions']),
    app: null,
    build: null,
    metric: String(row['metric']),
    unit: String(row['unit'] ?? '1'),
    attributes: stringMap(row['attributes']),
    time: num(row['time']),
    value: num(row['value']),
  };
}

/** Reads and merges Homeostat's field data from a ClickHouse store; `source` names it in the docs. */
export async function readClickHouse(query: ClickHouseQuery, source: string, tables: ClickHouseTables = DEFAULT_TABLES, filter: FieldFilter = {}): Promise<FieldSnapshot> {
  // Only one app is read (the one named, else the only one there): others are counted and named.
  const { app: _all, ...anyApp } = filter;
  const apps = (await query(APPS_SQL, params(tables, anyApp))).map((r) => ({ app: String(r['app'] ?? '') || null, points: num(r['points']) }));
  const chosen = chooseApp(
    apps.map((a) => a.app),
    filter.app,
    source,
  );
  const p = params(tables, { ...filter, ...(chosen ? { app: chosen } : {}) });
  const [hist, sums, totals] = await Promise.all([query(HISTOGRAM_SQL, p), query(SUM_SQL, p), query(TOTALS_SQL, p)]);
  const merger = new FieldMerger(source);
  for (const row of hist) merger.add(histogramPoint(row));
  for (const row of sums) merger.add(sumPoint(row));
  const t = totals[0];
  if (t && num(t['sessions']) > 0) {
    const nonEmpty = (v: unknown) => (Array.isArray(v) ? v.map(String).filter((x) => x !== '').sort() : []);
    merger.setTotals({ sessions: num(t['sessions']), apps: nonEmpty(t['apps']), builds: nonEmpty(t['builds']), from: num(t['from']), to: num(t['to']) });
  }
  const snapshot = merger.snapshot();
  snapshot.otherApps = apps.filter((a) => a.app !== (chosen ?? null));
  return snapshot;
}

/** A ClickHouse server over HTTP: `clickhouse://user:password@host:8123/database` (or http(s)://). */
export async function httpClickHouse(url: URL): Promise<{ query: ClickHouseQuery; database: string | null; close(): Promise<void> }> {
  const { createClient } = await import('@clickhouse/client');
  const database = url.pathname.replace(/^\//, '') || null;
  const secure = url.protocol === 'https:' || url.searchParams.get('secure') === 'true';
  const client = createClient({
    url: `${secure ? 'https' : 'http'}://${url.hostname}:${url.port || (secure ? '8443' : '8123')}`,
    username: decodeURIComponent(url.username) || 'default',
    password: decodeURIComponent(url.password),
  });
  return {
    database,
    query: async (sql, query_params) => (await client.query({ query: sql, query_params, format: 'JSONEachRow' })).json<Record<string, unknown>>(),
    close: () => client.close(),
  };
}

/** ClickHouse embedded in this process (chDB, an optional dependency) over a local data directory. */
export async function chdbClickHouse(path: string | undefined): Promise<{ query: ClickHouseQuery; close(): Promise<void> }> {
  let mod: typeof import('chdb');
  try {
    mod = await import('chdb');
  } catch {
    throw new Error('reading a local ClickHouse store needs chDB: npm install chdb');
  }
  const session = new mod.Session(path);
  return {
    query: async (sql, p) => {
      const text = session.queryBind(sql, p, 'JSONEachRow');
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    close: async () => session.cleanup?.(),
  };
}

/** The store's name for the docs, with any password removed. */
export function describeStore(url: URL): string {
  const u = new URL(url.href);
  u.password = '';
  u.username = '';
  return u.href;
}
