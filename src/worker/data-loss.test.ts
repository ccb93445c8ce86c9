/**
 * No record is lost silently: whatever the store, another tab or the transport does, every call
 * the page recorded is either in the exported session or counted in it (`truncated` for raw
 * records the store could not keep, `session.dropped` for records that never reached the
 * service).
 */
import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { makeMeta } from '../core/__tests__/fixtures.ts';
import { parseSessionFile, type SessionFile } from '../core/session.ts';
import { CallFlag, Kind, STRIDE, type WireBatch } from '../core/wire.ts';
import { Transport } from '../page/transport.ts';
import { DB_VERSION, IdbStore } from '../store/idb.ts';
import type { LiveSessions } from '../store/live.ts';
import { MemoryStore } from '../store/memory.ts';
import type { Store } from '../store/store.ts';
import { TelemetryService, type ServiceOptions } from './service.ts';

let dbSeq = 0;
const freshDb = () => `homeostat-loss-${++dbSeq}`;

/** A batch of `n` plain calls of the handler interned at `stringBase` (introducing `name` there when `newString`), ids from `firstId`. */
function calls(n: number, firstId: number, name = 'h', stringBase = 0, newString = true): WireBatch {
  const records = new Float64Array(n * STRIDE);
  for (let i = 0; i < n; i++) {
    const o = i * STRIDE;
    const t = 100 + (firstId + i) * 10;
    records.set([Kind.Call, stringBase, firstId + i, t, t + 1, CallFlag.UpdatesKnown, 0, 0, -1, -1, -1], o);
  }
  return { records, count: n, stringBase, strings: newString ? [name] : [], dropped: 0, now: 100 + (firstId + n) * 10 + 10_000 };
}

function exported(json: string): SessionFile {
  return parseSessionFile(json, 'exported session');
}

/** Everything the page recorded is in the file or counted there. */
function accounted(file: SessionFile): number {
  return file.calls.length + file.truncated.calls;
}

/** A store whose chunk writes fail (as IndexedDB does when the quota is exceeded) while `full` is true. */
class QuotaStore extends MemoryStore {
  full = false;
  override async putChunk(...args: Parameters<Store['putChunk']>): Promise<void> {
    if (this.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return super.putChunk(...args);
  }
}

/** Liveness shared by the "tabs" of one test, as Web Locks are shared by the tabs of one origin. */
function sharedLiveness(): LiveSessions {
  const live = new Set<string>();
  return { hold: (id) => void live.add(id), live: async () => new Set(live) };
}

async function service(store: () => Promise<Store>, id: string, options: ServiceOptions = {}) {
  const s = new TelemetryService(store, { persistDelayMs: 3_600_000, liveSessions: null, ...options });
  await s.start(makeMeta(id));
  return s;
}

describe('IndexedDB quota errors', () => {
  it('keeps records whose write failed, writes them once there is room, and exports them meanwhile', async () => {
    const store = new QuotaStore();
    const s = await service(async () => store, 'quota', { chunkSize: 10 });
    await s.ingest(calls(35, 1));
    store.full = true;
    await s.flush();
    expect(s.problems().join('\n')).toMatch(/QuotaExceededError/);
    let file = exported(await s.exportSession());
    expect(file.calls).toHaveLength(35);
    expect(file.truncated.calls).toBe(0);
    // No chunk number was used up by a failed write.
    expect((await store.getSession('quota'))?.nextChunk ?? 0).toBe(0);
    store.full = false;
    await s.ingest(calls(5, 36, 'h', 0, false));
    await s.flush();
    file = exported(await s.exportSession());
    expect(file.calls.map((c) => c.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Another tab reading the store sees them all, in order.
    const chunks = await store.readChunks('quota');
    expect(chunks.flatMap((c) => c.chunk.calls.map((x) => x.id))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('whatever fails when, every call is exported or counted as truncated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.record({ op: fc.constant('calls' as const), n: fc.integer({ min: 1, max: 120 }) }), fc.record({ op: fc.constantFrom('flush' as const, 'fill' as const, 'free' as const) })), { maxLength: 25 }),
        async (ops) => {
          const store = new QuotaStore();
          const s = await service(async () => store, 'prop', { chunkSize: 25, maxCallsPerSession: 150 });
          let next = 1;
          for (const op of ops) {
            if (op.op === 'calls') {
              await s.ingest(calls(op.n, next, 'h', 0, next === 1));
              next += op.n;
            } else if (op.op === 'flush') await s.flush();
            else store.full = op.op === 'fill';
          }
          const file = exported(await s.exportSession());
          expect(accounted(file)).toBe(next - 1);
          // Memory and the export stay bounded by the cap (plus the chunks in the making).
          expect(file.calls.length).toBeLessThanOrEqual(150 + 2 * 25);
          expect((await s.aggregates()).totals.calls).toBe(next - 1);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('another tab', () => {
  it('upgrading the database to a newer version does not end this tab’s storage', async () => {
    const db = freshDb();
    const s = await service(() => IdbStore.open(db), 'older-tab');
    await s.ingest(calls(10, 1));
    await s.flush();
    // A newer Homeostat in another tab upgrades the database (adding a store).
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(db, DB_VERSION + 1);
      req.onupgradeneeded = () => req.result.createObjectStore('newer-feature');
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('blocked: the older tab did not step aside'));
    });
    await s.ingest(calls(10, 11, 'h', 0, false));
    await s.flush();
    expect(s.problems()).toEqual([]);
    const file = exported(await s.exportSession());
    expect(file.calls).toHaveLength(20);
    // Written to the database, not just held in memory: a new tab sees all of them.
    const other = await IdbStore.open(db);
    expect((await other.readChunks('older-tab')).flatMap((c) => c.chunk.calls)).toHaveLength(20);
    other.close();
  });

  it('clearing or pruning in another tab leaves a live session’s records alone', async () => {
    const db = freshDb();
    const live = sharedLiveness();
    const a = await service(() => IdbStore.open(db), 'tab-a', { liveSessions: live });
    await a.ingest(calls(30, 1));
    await a.flush();
    const old = await service(() => IdbStore.open(db), 'closed-tab', { liveSessions: null });
    await old.ingest(calls(5, 1));
    await old.flush(true);
    const b = await service(() => IdbStore.open(db), 'tab-b', { liveSessions: live, maxSessions: 1 });
    await b.clear();
    const file = exported(await a.exportSession());
    expect(file.calls).toHaveLength(30);
    expect(file.truncated.calls).toBe(0);
    expect((await b.sessions()).map((x) => x.id).sort()).toEqual(['tab-a', 'tab-b']);
  });

  it('records another tab deleted anyway (no way to know it was live) are counted, not silently missing', async () => {
    const db = freshDb();
    const a = await service(() => IdbStore.open(db), 'tab-a', { chunkSize: 10 });
    await a.ingest(calls(30, 1));
    await a.flush();
    const b = await service(() => IdbStore.open(db), 'tab-b');
    await b.clear();
    await a.ingest(calls(7, 31, 'h', 0, false));
    const file = exported(await a.exportSession());
    expect(file.calls).toHaveLength(7);
    expect(file.truncated.calls).toBe(30);
    expect(accounted(file)).toBe(37);
    expect(a.problems().join('\n')).toMatch(/missing from IndexedDB; counted as truncated/);
  });
});

describe('the transport', () => {
  it('counts the records of batches it drops while the worker starts, and keeps the names they introduced', async () => {
    const { port1, port2 } = new MessageChannel();
    const worker = Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
    const svc = new TelemetryService(async () => new MemoryStore(), { persistDelayMs: 3_600_000, liveSessions: null });
    const transport = new Transport(makeMeta('starting'), () => worker, () => []);
    // The worker is slow to start: 300 batches arrive first, each introducing a handler name.
    const total = 300;
    for (let k = 0; k < total; k++) transport.send(calls(2, 1 + 2 * k, `h${k}`, k, true));
    expect(transport.status()).toMatchObject({ kind: 'connecting', droppedBatches: total - 256, droppedRecords: 2 * (total - 256) });
    Comlink.expose(svc, port2);
    await transport.settled();
    const file = exported(await svc.exportSession());
    expect(file.session.dropped).toBe(2 * (total - 256));
    expect(file.calls.length + file.session.dropped).toBe(2 * total);
    // Every kept call still has its own name, though the batch that introduced it was dropped.
    expect(new Set(file.calls.map((c) => c.handler))).toEqual(new Set(Array.from({ length: 256 }, (_, i) => `h${i + total - 256}`)));
    port1.close();
    port2.close();
  });

  it('counts the batches a crashed worker never acknowledged, and keeps recording in memory', async () => {
    const { port1, port2 } = new MessageChannel();
    const worker = Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
    const real = new TelemetryService(async () => new MemoryStore(), { persistDelayMs: 3_600_000, liveSessions: null });
    let stall = false;
    // A worker that starts, ingests the first batch, then hangs on the next ones (and then dies).
    Comlink.expose({ start: (m: Parameters<TelemetryService['start']>[0]) => real.start(m), ingest: (b: WireBatch) => (stall ? new Promise(() => {}) : real.ingest(b)) }, port2);
    const transport = new Transport(makeMeta('crash'), () => worker, () => ['h']);
    transport.send(calls(3, 1));
    await transport.settled();
    expect(transport.status().kind).toBe('worker');
    stall = true;
    transport.send(calls(4, 4, 'h', 0, false));
    transport.send(calls(5, 8, 'h', 0, false));
    port1.dispatchEvent(new Event('error'));
    await vi.waitFor(() => expect(transport.status().kind).toBe('memory'));
    transport.send(calls(2, 13, 'h', 0, false));
    await transport.settled();
    const file = exported(await (await transport.service()).exportSession());
    expect(transport.status()).toMatchObject({ droppedRecords: 9 });
    expect(file.session.dropped).toBe(9);
    expect(file.calls.map((c) => c.id)).toEqual([13, 14]);
    expect(file.calls.every((c) => c.handler === 'h')).toBe(true);
    port1.close();
    port2.close();
  });
});
