/**
 * Worker side of the throughput benchmark: the real TelemetryService (attribution, sketches,
 * aggregation) over an in-memory store, timed inside the worker so transfer costs are apart.
 */
import * as Comlink from 'comlink';
import type { SessionMeta } from '../../src/core/model.ts';
import type { WireBatch } from '../../src/core/wire.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { TelemetryService } from '../../src/worker/service.ts';
import { syntheticBatches } from './synthetic.ts';

function meta(id: string): SessionMeta {
  return {
    id, startedAt: Date.now(), timeOrigin: performance.timeOrigin, endedAt: null, url: 'bench', userAgent: 'bench',
    crossOriginIsolated: self.crossOriginIsolated, clockResolutionMs: 0.005,
    react: { version: null, lanes: true, commits: 'hook' }, app: 'bench', build: null, transport: 'worker',
    storage: 'memory', fallbackReason: null, dropped: 0, source: 'page',
  };
}

const api = {
  /** Ingests `total` synthetic records generated in the worker; returns records per second of processing. */
  async inWorker(total: number, perBatch: number): Promise<{ records: number; ms: number; calls: number }> {
    const service = new TelemetryService(async () => new MemoryStore(), { persistDelayMs: 3_600_000 });
    await service.start(meta(`bench-${total}`));
    const batches = syntheticBatches(total, perBatch);
    const t0 = performance.now();
    for (const b of batches) await service.ingest(b);
    await service.flush(true);
    const ms = performance.now() - t0;
    const snap = await service.aggregates();
    return { records: batches.reduce((a, b) => a + b.count, 0), ms, calls: snap.totals.calls };
  },
  service: null as TelemetryService | null,
  async begin(): Promise<void> {
    api.service = new TelemetryService(async () => new MemoryStore(), { persistDelayMs: 3_600_000 });
    await api.service.start(meta('bench-transfer'));
  },
  async ingest(batch: WireBatch): Promise<void> {
    await api.service!.ingest(batch);
  },
  async end(): Promise<number> {
    await api.service!.flush(true);
    return (await api.service!.aggregates()).totals.calls;
  },
};
export type BenchWorker = typeof api;
Comlink.expose(api);
