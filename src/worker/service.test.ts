import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { makeMeta, makeSessionFile } from '../core/__tests__/fixtures.ts';
import { Stream } from '../core/__tests__/records.ts';
import { FieldMerger, pointsOfRequest } from '../core/field/merge.ts';
import type { OtlpMetricsRequest } from '../core/field/otlp.ts';
import { parseSessionFile } from '../core/session.ts';
import type { WireBatch } from '../core/wire.ts';
import { IdbStore, openHomeostatDB } from '../store/idb.ts';
import { MemoryStore } from '../store/memory.ts';
import { TelemetryService, type ServiceOptions } from './service.ts';

let dbSeq = 0;
const freshDb = () => `homeostat-test-${++dbSeq}`;

/** `n` click interactions, each: handler `h` (blocking update) → sync commit → paint; every 4th throws. */
function interactions(n: number, startId = 1): { stream: Stream; calls: number } {
  const s = new Stream();
  for (let i = 0; i < n; i++) {
    const t = 100 + i * 50;
    const id = startId + i;
    s.event(id, 'click', t);
    if (i % 4 === 3) s.call('h', id, t + 1, t + 2, { event: id, threw: 'Error: boom' });
    else s.call('h', id, t + 1, t + 2, { blocking: 1, event: id }).commit(t + 10).syncEnd(id, t + 11);
    s.paint(t + 20);
  }
  return { stream: s, calls: n };
}

function batch(stream: Stream, now: number): WireBatch {
  const { records, count } = stream.records();
  return { records, count, stringBase: 0, strings: stream.strings.slice(), dropped: 0, now };
}

async function started(db: string, id = 'live', options: ServiceOptions = {}) {
  const service = new TelemetryService(() => IdbStore.open(db), { persistDelayMs: 10, ...options });
  const info = await service.start(makeMeta(id));
  return { service, info };
}

function fieldOf(bodies: string[]) {
  const m = new FieldMerger('test');
  for (const b of bodies) m.addAll(pointsOfRequest(JSON.parse(b) as OtlpMetricsRequest));
  return m.snapshot();
}

describe('TelemetryService field export', () => {
  it('keeps OTLP aggregates only when asked, in step with its own aggregates', async () => {
    const off = await started(freshDb(), 'off');
    await off.service.ingest(batch(interactions(8).stream, 100 + 8 * 50 + 5000));
    expect(await off.service.fieldCollect({ now: Date.now() })).toBeNull();

    const service = new TelemetryService(() => IdbStore.open(freshDb()), { persistDelayMs: 10 });
    await service.start(makeMeta('on'), { field: { spanSampleRate: 0 } });
    await service.ingest(batch(interactions(40).stream, 100 + 40 * 50 + 5000));
    const b = (await service.fieldCollect({ now: Date.now() }))!;
    const h = fieldOf(b.metrics).handlers.get('h')!;
    const local = (await service.aggregates()).handlers.find((x) => x.handler === 'h')!;
    expect({ calls: h.calls, errors: h.errors, blocking: h.modes.blocking }).toEqual({ calls: local.count, errors: local.errors, blocking: local.modes.blocking });
    expect(h.metrics['blocking']!.quantile(0.5)).toBeCloseTo(local.blocking.p50, 0);
    await service.fieldAck(b.id, true);
    expect(await service.fieldCollect({ now: Date.now() })).toBeNull();
  });

  it('started late, catches up with the calls it already attributed', async () => {
    const { service } = await started(freshDb(), 'late');
    await service.ingest(batch(interactions(12).stream, 100 + 12 * 50 + 5000));
    await service.fieldStart({});
    const b = (await service.fieldCollect({ now: Date.now() }))!;
    const field = fieldOf(b.metrics);
    expect(field.handlers.get('h')!.calls).toBe(12);
    expect(field.sequences.get('click:h')!.runs).toBe(12);
  });
});

describe('TelemetryService', () => {
  it('aggregates what the page did: counts, errors, blocking, sequences', async () => {
    const { service, info } = await started(freshDb());
    expect(info).toMatchObject({ storage: 'indexeddb', storageReason: null });
    const { stream } = interactions(40);
    await service.ingest(batch(stream, 100 + 40 * 50 + 5000));
    const snap = await service.aggregates();
    const h = snap.handlers.find((x) => x.handler === 'h')!;
    expect(h.count).toBe(40);
    expect(h.errors).toBe(10);
    expect(h.errorPatterns).toEqual([expect.objectContaining({ name: 'Error', message: 'boom', count: 10 })]);
    expect(h.modes.blocking).toBe(30);
    expect(h.blocking.p50).toBeCloseTo(9, 0);
    expect(snap.sequences).toEqual([expect.objectContaining({ name: 'click:h', count: 40 })]);
    expect(snap.totals).toMatchObject({ calls: 40, commits: 30, unattributedCommits: 0 });
  });

  it('under a burst keeps only the newest raw calls up to the cap, counts the rest, and aggregates all', async () => {
    const { service } = await started(freshDb(), 'burst', { persistDelayMs: 3_600_000, chunkSize: 50, maxCallsPerSession: 200 });
    await service.ingest(batch(interactions(1000).stream, 100 + 1000 * 50 + 5000));
    await service.flush(true);
    const file = parseSessionFile(await service.exportSession());
    expect(file.calls.length).toBeLessThanOrEqual(250);
    expect(file.calls.length).toBeGreaterThanOrEqual(200);
    expect(file.calls.length + file.truncated.calls).toBe(1000);
    // The newest calls are the ones kept.
    expect(Math.max(...file.calls.map((c) => c.id))).toBe(1000);
    expect((await service.aggregates()).totals.calls).toBe(1000);
  });

  it('keeps sessions in IndexedDB across a reload', async () => {
    const db = freshDb();
    const first = await started(db, 'before-reload');
    await first.service.ingest(batch(interactions(12).stream, 10_000));
    await first.service.flush(true);

    const second = await started(db, 'after-reload');
    const sessions = await second.service.sessions();
    expect(sessions.map((s) => [s.id, s.live])).toEqual(
      expect.arrayContaining([
        ['after-reload', true],
        ['before-reload', false],
      ]),
    );
    expect(sessions.find((s) => s.id === 'before-reload')!.calls).toBe(12);
    const old = await second.service.aggregates({ id: 'before-reload' });
    expect(old.handlers[0]).toMatchObject({ handler: 'h', count: 12, errors: 3 });
    const exported = parseSessionFile(await second.service.exportSession('before-reload'));
    expect(exported.calls).toHaveLength(12);
    expect(exported.sequences).toHaveLength(12);
    expect(exported.session.endedAt).not.toBeNull();
  });

  it('exports and imports a session losslessly', async () => {
    const a = await started(freshDb(), 'exporter');
    await a.service.ingest(batch(interactions(20).stream, 10_000));
    const json = await a.service.exportSession();
    const b = await started(freshDb(), 'importer');
    const summary = await b.service.importSession(json);
    expect(summary).toMatchObject({ id: 'exporter', calls: 20, errors: 5, source: 'import' });
    const want = (await a.service.aggregates()).handlers;
    const got = (await b.service.aggregates({ id: 'exporter' })).handlers;
    expect(got.map((h) => [h.handler, h.count, h.errors, h.blocking.p95])).toEqual(want.map((h) => [h.handler, h.count, h.errors, h.blocking.p95]));
    // Importing it again does not overwrite the first copy.
    expect((await b.service.importSession(json)).id).toBe('exporter~2');
  });

  it('rejects a malformed import with the field named, and stores nothing', async () => {
    const { service } = await started(freshDb());
    const before = await service.sessions();
    const bad = makeSessionFile(5, 3) as unknown as { calls: Array<Record<string, unknown>> };
    bad.calls[2]!['blockingMs'] = -4;
    await expect(service.importSession(JSON.stringify(bad))).rejects.toThrow(/imported session: .*\n\s+calls\[2\]\.blockingMs/);
    await expect(service.importSession('not json')).rejects.toThrow(/not JSON/);
    expect(await service.sessions()).toEqual(before);
  });

  it('falls back to memory when IndexedDB cannot be opened, and says why', async () => {
    const service = new TelemetryService(() => Promise.reject(new DOMException('The user denied permission', 'SecurityError')));
    const info = await service.start(makeMeta('private'));
    expect(info.storage).toBe('memory');
    expect(info.storageReason).toMatch(/IndexedDB unavailable \(SecurityError: The user denied permission\)/);
    await service.ingest(batch(interactions(8).stream, 10_000));
    expect((await service.aggregates()).handlers[0]!.count).toBe(8);
    const meta = parseSessionFile(await service.exportSession()).session;
    expect(meta.storage).toBe('memory');
    expect(meta.fallbackReason).toMatch(/IndexedDB unavailable/);
  });

  it('caps raw calls per session but keeps every call in the aggregates', async () => {
    const { service } = await started(freshDb(), 'capped', { maxCallsPerSession: 100, chunkSize: 500 });
    for (let b = 0; b < 5; b++) {
      const { stream } = interactions(60, b * 60 + 1);
      await service.ingest(batch(stream, 100 + 60 * 50 + 5000 + b));
      await service.flush();
    }
    const file = parseSessionFile(await service.exportSession());
    expect(file.calls.length).toBeLessThanOrEqual(100);
    expect(file.truncated.calls + file.calls.length).toBe(300);
    expect((await service.aggregates()).handlers[0]!.count).toBe(300);
  });

  it('saves baselines, clears everything on request', async () => {
    const { service } = await started(freshDb());
    await service.ingest(batch(interactions(10).stream, 10_000));
    const baseline = await service.saveBaseline('main');
    expect(baseline.snapshot.handlers[0]!.count).toBe(10);
    expect((await service.baselines()).map((b) => b.name)).toEqual(['main']);
    await service.clear();
    expect(await service.baselines()).toEqual([]);
    expect((await service.aggregates()).handlers).toEqual([]);
  });

  it('skips a corrupt stored aggregate with a warning instead of failing or deleting it', async () => {
    const db = freshDb();
    const store = await IdbStore.open(db);
    await store.putSession({ meta: makeMeta('corrupt'), stored: { calls: 0, sequences: 0, commits: 0 }, truncated: { calls: 0, sequences: 0, commits: 0 }, errors: 0, nextChunk: 0 });
    await store.putAggregate('corrupt', { version: 1, handlers: [{ handler: 'x' }], sequences: [], commits: 0, unattributedCommits: 0 } as never);
    store.close();
    const { service } = await started(db, 'live');
    await service.ingest(batch(interactions(4).stream, 10_000));
    const all = await service.aggregates('all');
    expect(all.handlers.find((h) => h.handler === 'h')!.count).toBe(4);
    expect(service.problems().join('\n')).toMatch(/aggregates\["corrupt"\] could not be read .*skipped, not deleted/);
    const again = await IdbStore.open(db);
    expect(await again.getAggregate('corrupt')).toBeDefined();
    again.close();
  });
});

describe('IndexedDB migrations', () => {
  it('upgrades a version-1 database in place, keeping its data', async () => {
    const name = freshDb();
    const v1 = await openHomeostatDB(name, 1);
    expect([...v1.objectStoreNames]).toEqual(['aggregates', 'chunks', 'sessions']);
    const old = { meta: makeMeta('from-v1'), stored: { calls: 2, sequences: 1, commits: 0 }, truncated: { calls: 0, sequences: 0, commits: 0 }, errors: 0, nextChunk: 1 };
    await v1.put('sessions', old);
    v1.close();

    const store = await IdbStore.open(name);
    expect(await store.listSessions()).toEqual([old]);
    await store.putBaseline({ name: 'b', createdAt: 1, sessions: ['from-v1'], snapshot: { handlers: [], sequences: [], totals: { calls: 0, sequences: 0, errors: 0, commits: 0, unattributedCommits: 0 } } });
    expect((await store.listBaselines()).map((b) => b.name)).toEqual(['b']);
    store.close();
  });

  it('MemoryStore behaves like the IndexedDB store for the service', async () => {
    const service = new TelemetryService(async () => new MemoryStore(), { persistDelayMs: 1 });
    await service.start(makeMeta('mem'));
    await service.ingest(batch(interactions(6).stream, 10_000));
    expect(parseSessionFile(await service.exportSession()).calls).toHaveLength(6);
  });
});
