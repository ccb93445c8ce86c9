/**
 * Field data split by build (`service.version`) and by session, for comparing two deployed
 * builds: confirm needs one number per session (the session is the cluster), so the merge that
 * `loadField` does across sessions is done here per build *and* per session. Reads the same
 * inputs as `--field`: the collector's file exporter output, or ClickHouse / chDB, where the
 * store keeps each session's newest point per series (`argMax`, as `clickhouse.ts`) and returns
 * one row per session and series of the two builds only.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FieldMerger, type FieldPoint, type FieldSnapshot } from '../core/field/merge.ts';
import { counterProblems, histogramProblems } from '../core/field/validate.ts';
import { chooseApp, FieldSourceError } from './apps.ts';
import { chdbClickHouse, DEFAULT_TABLES, describeStore, FieldStoreError, httpClickHouse, type ClickHouseQuery, type ClickHouseTables, type FieldFilter } from './clickhouse.ts';
import { fieldFiles, readOtlpFile } from './otlp-json.ts';

/** One build's field data: merged over its sessions, and each session on its own. */
export interface BuildField {
  build: string;
  merged: FieldSnapshot;
  sessions: FieldSnapshot[];
}

export interface BuildsField {
  source: string;
  app: string | null;
  /** By build id; builds asked for but absent are missing. */
  builds: Map<string, BuildField>;
  /** Every build seen (also those not asked for), with its session count: names the choices in errors. */
  seen: Array<{ build: string; sessions: number }>;
}

const NO_BUILD = '(no service.version)';

/** Groups points by build and session; `wanted` limits which builds are kept (all when empty). */
export class BuildGrouper {
  private readonly apps = new Map<string | null, Map<string, Map<string, FieldPoint[]>>>();

  add(p: FieldPoint): void {
    let byBuild = this.apps.get(p.app);
    if (!byBuild) this.apps.set(p.app, (byBuild = new Map()));
    const build = p.build ?? NO_BUILD;
    let bySession = byBuild.get(build);
    if (!bySession) byBuild.set(build, (bySession = new Map()));
    const list = bySession.get(p.session);
    if (list) list.push(p);
    else bySession.set(p.session, [p]);
  }

  result(source: string, wantedApp: string | undefined, wanted: readonly string[]): BuildsField {
    const app = chooseApp([...this.apps.keys()], wantedApp, source);
    const byBuild = (app !== undefined ? this.apps.get(app) : undefined) ?? new Map<string, Map<string, FieldPoint[]>>();
    const builds = new Map<string, BuildField>();
    for (const [build, bySession] of byBuild) {
      if (wanted.length > 0 && !wanted.includes(build)) continue;
      const all = new FieldMerger(`${source}, build ${build}`);
      const sessions: FieldSnapshot[] = [];
      for (const points of bySession.values()) {
        const one = new FieldMerger(source);
        one.addAll(points);
        all.addAll(points);
        sessions.push(one.snapshot());
      }
      builds.set(build, { build, merged: all.snapshot(), sessions });
    }
    const seen = [...byBuild].map(([build, s]) => ({ build, sessions: s.size })).sort((a, b) => a.build.localeCompare(b.build));
    return { source, app: app ?? null, builds, seen };
  }
}

/** Reads the inputs and splits them by build and session, keeping only `builds` (all when empty). */
export async function loadBuilds(inputs: readonly string[], cwd: string, builds: readonly string[], filter: FieldFilter = {}): Promise<BuildsField> {
  const stores = inputs.filter((i) => /^(clickhouse|https?|chdb):/.test(i));
  if (stores.length > 1 || (stores.length === 1 && inputs.length > 1)) throw new FieldSourceError('--field takes either OTLP files or one store, not both');
  if (stores.length === 1) return readStoreBuilds(stores[0]!, cwd, builds, filter);
  const paths = inputs.map((p) => resolve(cwd, p));
  for (const p of paths) if (!existsSync(p)) throw new FieldSourceError(`--field ${p} does not exist`);
  const files = await fieldFiles(paths);
  if (files.length === 0) throw new FieldSourceError(`no OTLP/JSON files in ${paths.join(', ')}`);
  const source = files.length === 1 ? files[0]! : `${files.length} OTLP/JSON files`;
  const g = new BuildGrouper();
  for (const f of files) {
    for await (const p of readOtlpFile(f)) {
      if (filter.since && p.time < filter.since.getTime()) continue;
      if (!p.metric.startsWith('homeostat.')) continue;
      g.add(p);
    }
  }
  return g.result(source, filter.app, builds);
}

const WHERE = `startsWith(MetricName, 'homeostat.')
      AND ({app:String} = '' OR ServiceName = {app:String})
      AND TimeUnix >= toDateTime({since:UInt32})
      AND ({all:UInt8} = 1 OR ResourceAttributes['service.version'] IN ({a:String}, {b:String}))`;

/** Per session and series of the builds asked for, the session's newest histogram point. */
export const SESSION_HISTOGRAM_SQL = `
SELECT
  MetricName AS metric,
  any(MetricUnit) AS unit,
  Attributes AS attributes,
  ServiceName AS app,
  ResourceAttributes['session.id'] AS session,
  ResourceAttributes['service.version'] AS build,
  argMax(tuple(Scale, Count, Sum, ZeroCount, PositiveOffset, PositiveBucketCounts, Min, Max), tuple(TimeUnix, Count)) AS p,
  toUnixTimestamp(max(TimeUnix)) * 1000 AS time
FROM {db:Identifier}.{hist:Identifier}
WHERE ${WHERE}
GROUP BY MetricName, Attributes, ServiceName, session, build`;

/** Per session and series of the builds asked for, the session's newest (largest) cumulative count. */
export const SESSION_SUM_SQL = `
SELECT
  MetricName AS metric,
  any(MetricUnit) AS unit,
  Attributes AS attributes,
  ServiceName AS app,
  ResourceAttributes['session.id'] AS session,
  ResourceAttributes['service.version'] AS build,
  argMax(Value, tuple(TimeUnix, Value)) AS value,
  toUnixTimestamp(max(TimeUnix)) * 1000 AS time
FROM {db:Identifier}.{sum:Identifier}
WHERE ${WHERE}
GROUP BY MetricName, Attributes, ServiceName, session, build`;

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

function base(row: Record<string, unknown>): Omit<FieldPoint, 'hist' | 'value'> {
  const build = String(row['build'] ?? '');
  return {
    session: String(row['session'] ?? ''),
    app: String(row['app'] ?? '') || null,
    build: build === '' ? null : build,
    metric: String(row['metric']),
    unit: String(row['unit'] ?? ''),
    attributes: stringMap(row['attributes']),
    time: num(row['time']),
  };
}

/** A per-session histogram row as a point (the tuple comes back as an array). */
export function sessionHistogramPoint(row: Record<string, unknown>): FieldPoint {
  const p = row['p'] as unknown[];
  const where = `${String(row['metric'])} ${JSON.stringify(row['attributes'] ?? {})} of session ${String(row['session'])} in the store`;
  if (!Array.isArray(p) || p.length < 8) throw new FieldStoreError(where, ['the newest point is not a (scale, count, sum, zero, offset, buckets, min, max) tuple']);
  const counts = (Array.isArray(p[5]) ? p[5] : []).map(num);
  const hist = { scale: num(p[0]), count: num(p[1]), sum: num(p[2]), zeroCount: num(p[3]), offset: num(p[4]), counts, min: num(p[6]), max: num(p[7]) };
  const problems = histogramProblems(hist);
  if (problems.length > 0) throw new FieldStoreError(where, problems);
  return { ...base(row), hist };
}

export function sessionSumPoint(row: Record<string, unknown>): FieldPoint {
  const value = num(row['value']);
  const problems = counterProblems(value);
  if (problems.length > 0) throw new FieldStoreError(`${String(row['metric'])} of session ${String(row['session'])} in the store`, problems);
  return { ...base(row), unit: String(row['unit'] ?? '1') || '1', value };
}

/** Reads two builds (or all, when `builds` is empty) per session from a ClickHouse store. */
export async function readClickHouseBuilds(query: ClickHouseQuery, source: string, builds: readonly string[], tables: ClickHouseTables = DEFAULT_TABLES, filter: FieldFilter = {}): Promise<BuildsField> {
  const params = {
    db: tables.database,
    hist: tables.expHistogram,
    sum: tables.sum,
    app: filter.app ?? '',
    since: filter.since ? Math.floor(filter.since.getTime() / 1000) : 0,
    all: builds.length === 0 ? 1 : 0,
    a: builds[0] ?? '',
    b: builds[1] ?? builds[0] ?? '',
  };
  if (builds.length > 2) throw new RangeError('readClickHouseBuilds() compares at most two builds');
  const [hist, sums] = await Promise.all([query(SESSION_HISTOGRAM_SQL, params), query(SESSION_SUM_SQL, params)]);
  const g = new BuildGrouper();
  for (const row of hist) g.add(sessionHistogramPoint(row));
  for (const row of sums) g.add(sessionSumPoint(row));
  return g.result(source, filter.app, builds);
}

async function readStoreBuilds(input: string, cwd: string, builds: readonly string[], filter: FieldFilter): Promise<BuildsField> {
  if (input.startsWith('chdb:')) {
    const dir = resolve(cwd, input.slice('chdb:'.length));
    if (!existsSync(dir)) throw new FieldSourceError(`--field ${input}: ${dir} does not exist`);
    const store = await chdbClickHouse(dir);
    try {
      return await readClickHouseBuilds(store.query, `chdb:${dir}`, builds, DEFAULT_TABLES, filter);
    } finally {
      await store.close();
    }
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new FieldSourceError(`--field ${input} is not a URL`);
  }
  const store = await httpClickHouse(url);
  try {
    const tables = { ...DEFAULT_TABLES, ...(store.database ? { database: store.database } : {}) };
    return await readClickHouseBuilds(store.query, describeStore(url), builds, tables, filter);
  } finally {
    await store.close();
  }
}
