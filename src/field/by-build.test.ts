/**
 * Field data split by build and session reads the same from the collector's file exporter output
 * and from ClickHouse (chDB on the exporter's schema), resends and duplicates counted once, so
 * confirm and gate decide the same on either store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmFix } from '../core/field/confirm.ts';
import type { OtlpMetricsRequest } from '../core/field/otlp.ts';
import { ddl, exporterRows } from '../test-support/clickhouse-exporter.ts';
import { syntheticRequests } from '../test-support/field-builds.ts';
import { loadBuilds, readClickHouseBuilds, type BuildsField } from './by-build.ts';
import { chdbClickHouse, type ClickHouseQuery } from './clickhouse.ts';

const dir = mkdtempSync(join(tmpdir(), 'homeostat-builds-'));
let store: { query: ClickHouseQuery; close(): Promise<void> };
const requests = [
  ...syntheticRequests({ build: 'b1', sessions: 40, seed: 5, handlers: { renderReact: { interactionMs: 430, errorRate: 0.05 } } }),
  ...syntheticRequests({ build: 'b2', sessions: 40, seed: 6, handlers: { renderReact: { interactionMs: 95 } }, exportFailureRate: 0.1 }),
  ...syntheticRequests({ build: 'b0', sessions: 5, seed: 7, handlers: { renderReact: { interactionMs: 500 } } }),
];
// Every request sent twice: a retried send must not count twice.
const lines = [...requests, ...requests];

beforeAll(async () => {
  writeFileSync(join(dir, 'field.jsonl'), lines.join('\n'));
  store = await chdbClickHouse(join(dir, 'chdb'));
  for (const sql of ddl('DateTime64(9)')) await store.query(sql, {});
  const rows = lines.map((l) => exporterRows(JSON.parse(l) as OtlpMetricsRequest));
  const insert = async (table: string, list: object[]) => {
    await store.query(`INSERT INTO otel.${table} SETTINGS date_time_input_format = 'best_effort' FORMAT JSONEachRow ${list.map((r) => JSON.stringify(r)).join('\n')}`, {});
  };
  await insert('otel_metrics_exponential_histogram', rows.flatMap((r) => r.hist));
  await insert('otel_metrics_sum', rows.flatMap((r) => r.sum));
}, 60_000);
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function summary(f: BuildsField) {
  return [...f.builds.values()]
    .sort((a, b) => a.build.localeCompare(b.build))
    .map((b) => {
      const h = b.merged.handlers.get('renderReact')!;
      return {
        build: b.build,
        sessions: b.sessions.length,
        calls: h.calls,
        errors: h.errors,
        p95: h.metrics['interaction']!.quantile(0.95),
        failures: b.sessions.filter((s) => s.exportFailures > 0).length,
        perSession: b.sessions.map((s) => s.handlers.get('renderReact')!.metrics['interaction']!.quantile(0.95)).sort((x, y) => x - y),
      };
    });
}

describe('field data by build and session', () => {
  it('reads the same from the file exporter output and from ClickHouse, two builds only', async () => {
    const files = await loadBuilds([join(dir, 'field.jsonl')], dir, ['b1', 'b2']);
    const ch = await readClickHouseBuilds(store.query, 'chdb', ['b1', 'b2']);
    expect([...files.builds.keys()].sort()).toEqual(['b1', 'b2']);
    expect(files.seen.map((s) => s.build)).toEqual(['b0', 'b1', 'b2']);
    const a = summary(files);
    expect(a.map((x) => x.sessions)).toEqual([40, 40]);
    expect(a[0]!.errors).toBeGreaterThan(0);
    expect(a[1]!.failures).toBeGreaterThan(0);
    expect(summary(ch)).toEqual(a);
    const decide = (f: BuildsField) => confirmFix({ handler: 'renderReact', metric: 'interaction', stat: 'p95' }, f.builds.get('b1')!.sessions, f.builds.get('b2')!.sessions, { A: f.builds.get('b1')!.merged, B: f.builds.get('b2')!.merged });
    expect(decide(ch).why).toBe(decide(files).why);
    expect(decide(files).verdict).toBe('confirmed');
  });
});
