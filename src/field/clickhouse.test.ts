/**
 * The ClickHouse reader's SQL, run on ClickHouse's own engine (chDB, embedded) against the
 * tables of the OpenTelemetry Collector's `clickhouse` exporter, filled the way the exporter
 * fills them from OTLP. It must give exactly what the in-process merge gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/check/prng.ts';
import { FieldMerger, pointsOfRequest, type FieldSnapshot } from '../core/field/merge.ts';
import type { OtlpMetricsRequest } from '../core/field/otlp.ts';
import { ddl, exporterRows } from '../test-support/clickhouse-exporter.ts';
import { FieldRecorder } from '../core/field/recorder.ts';
import { call, meta } from '../core/field/test-fixtures.ts';
import { chdbClickHouse, readClickHouse, type ClickHouseQuery } from './clickhouse.ts';

/** 30 sessions, each sending twice (the second carries the first again, cumulative) and once more as a duplicate. */
function simulate(): OtlpMetricsRequest[] {
  const random = seededRandom(3);
  const out: OtlpMetricsRequest[] = [];
  for (let s = 0; s < 30; s++) {
    const rec = new FieldRecorder(meta(`session-${s}`, { startedAt: 1_767_000_000_000 + s * 60_000 }));
    for (let i = 0; i < 20; i++) rec.addCall(call(i % 3 === 0 ? 'applyFilters' : 'renderReact', 0.2 + 40 * random() ** 2, { mode: i % 3 === 0 ? 'transition' : 'blocking' }));
    const first = rec.collect({ now: 1_767_000_000_000 + s * 60_000 + 5_000 })!;
    rec.ack(first.id, false);
    for (let i = 0; i < 10; i++) rec.addCall(call('renderReact', 0.01 + 900 * random() ** 3));
    const second = rec.collect({ now: 1_767_000_000_000 + s * 60_000 + 9_000 })!;
    for (const b of [first, second, second]) out.push(...b.metrics.map((m) => JSON.parse(m) as OtlpMetricsRequest));
  }
  return out;
}

function jsMerge(requests: OtlpMetricsRequest[]): FieldSnapshot {
  const m = new FieldMerger('js');
  for (const r of requests) m.addAll(pointsOfRequest(r));
  return m.snapshot();
}

for (const time of ['DateTime', 'DateTime64(9)']) {
  describe(`ClickHouse reader on the exporter's schema (${time} times)`, () => {
    let dir: string;
    let store: { query: ClickHouseQuery; close(): Promise<void> };
    const requests = simulate();

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'homeostat-chdb-'));
      store = await chdbClickHouse(dir);
      for (const sql of ddl(time)) await store.query(sql, {});
      const rows = requests.map(exporterRows);
      const insert = async (table: string, list: object[]) => {
        if (list.length > 0) await store.query(`INSERT INTO otel.${table} SETTINGS date_time_input_format = 'best_effort' FORMAT JSONEachRow ${list.map((r) => JSON.stringify(r)).join('\n')}`, {});
      };
      await insert('otel_metrics_exponential_histogram', rows.flatMap((r) => r.hist));
      await insert('otel_metrics_sum', rows.flatMap((r) => r.sum));
    });

    afterAll(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('merges on the server exactly as the in-process merge does, resends counted once', async () => {
      const fromStore = await readClickHouse(store.query, 'chdb');
      const local = jsMerge(requests);
      expect(fromStore.sessions).toBe(30);
      expect(fromStore.apps).toEqual(['shop']);
      expect(fromStore.builds).toEqual(['abc123']);
      expect([...fromStore.handlers.keys()].sort()).toEqual(['applyFilters', 'renderReact']);
      for (const [name, h] of local.handlers) {
        const s = fromStore.handlers.get(name)!;
        expect(s.calls).toBe(h.calls);
        expect(s.modes).toEqual(h.modes);
        for (const [metric, d] of Object.entries(h.metrics)) {
          const got = s.metrics[metric]!;
          expect(got.hist.state()).toEqual({ ...d.hist.state(), sum: expect.closeTo(d.hist.sum, 9) });
          for (const q of [0.5, 0.95, 0.99]) expect(got.quantile(q)).toBe(d.quantile(q));
        }
      }
      // 30 sessions × (20 + 10) calls, however many times they were sent.
      const total = [...fromStore.handlers.values()].reduce((n, h) => n + h.calls, 0);
      expect(total).toBe(900);
    });

    it('filters by app and time', async () => {
      expect((await readClickHouse(store.query, 'chdb', undefined, { app: 'other' })).handlers.size).toBe(0);
      const late = await readClickHouse(store.query, 'chdb', undefined, { since: new Date(1_767_000_000_000 + 20 * 60_000) });
      expect(late.sessions).toBe(10);
    });
  });
}
