import 'fake-indexeddb/auto';
/**
 * Tab-close rescue in the service: a page's journal (every batch since the worker's last
 * confirmed write) is ingested at the next start into the closed session, exactly once,
 * however much of it the dying worker had written itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeMeta } from '../core/__tests__/fixtures.ts';
import { Stream } from '../core/__tests__/records.ts';
import { parseSessionFile } from '../core/session.ts';
import { STRIDE, type WireBatch } from '../core/wire.ts';
import { IdbStore } from '../store/idb.ts';
import type { LiveSessions } from '../store/live.ts';
import { openRescueDb, putRescue, readRescues } from '../store/rescue-db.ts';
import { ingestJournal } from './rescue.ts';
import { TelemetryService } from './service.ts';

let seq = 0;

/** Four clicks on `addToCart`, each: event → call (blocking update) → commit → sync end → paint. */
function clicks(): Stream {
  const s = new Stream();
  for (let i = 0; i < 4; i++) {
    const t = 100 + i * 50;
    s.event(i + 1, 'click', t);
    s.call('addToCart', i + 1, t + 1, t + 2, { blocking: 1, event: i + 1 }).commit(t + 10).syncEnd(i + 1, t + 11);
    s.paint(t + 20);
  }
  return s;
}

/** The stream cut into batches at the given record positions, as the page's batcher cuts it. */
function cut(s: Stream, at: number[]): WireBatch[] {
  const { records, count } = s.records();
  const bounds = [0, ...at.filter((n) => n > 0 && n < count).sort((a, b) => a - b), count];
  const out: WireBatch[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i]!, bounds[i + 1]!];
    if (to === from) continue;
    out.push({ records: records.slice(from * STRIDE, to * STRIDE), count: to - from, stringBase: i === 0 ? 0 : s.strings.length, strings: i === 0 ? s.strings.slice() : [], dropped: 0, now: 100 + to * 10 });
  }
  return out;
}

const nobodyLive: LiveSessions = { hold: () => {}, live: async () => new Set() };

async function service(db: string, rescueDb: string, id: string): Promise<TelemetryService> {
  const s = new TelemetryService(() => IdbStore.open(db), { persistDelayMs: 10, liveSessions: nobodyLive, rescueDb });
  await s.start(makeMeta(id));
  await s.rescued;
  return s;
}

/** A tab that recorded four clicks, whose worker got `ingested` batches (and wrote them, fully or not) before the tab closed. */
async function closedTab(db: string, rescueDb: string, cuts: number[], ingested: number, wrote: 'final' | 'timer' | 'nothing'): Promise<void> {
  const s = clicks();
  const batches = cut(s, cuts);
  const worker = await service(db, rescueDb, 'closed');
  // 'nothing': the tab closed before its worker got anything (a worker that got batches always
  // writes them in the end here, with its timer: in a closed tab it would be dead instead).
  for (const b of batches.slice(0, wrote === 'nothing' ? 0 : ingested)) await worker.ingest({ ...b, records: b.records.slice() });
  if (wrote === 'final') await worker.flush(true);
  if (wrote === 'timer') await worker.flush(false);
  // The page saved its journal at pagehide: every batch since the last confirmed write (here: all).
  const r = await openRescueDb(rescueDb);
  await putRescue(r, { sessionId: 'closed', meta: makeMeta('closed'), strings: s.strings.slice(), savedAt: Date.now() }, batches.map((batch, n) => ({ sessionId: 'closed', n, batch })));
  r.close();
}

async function callIds(db: string, rescueDb: string, id = 'closed'): Promise<number[]> {
  const next = await service(db, rescueDb, `reader-${++seq}`);
  const file = parseSessionFile(await next.exportSession(id));
  return file.calls.filter((c) => c.handler === 'addToCart').map((c) => c.id).sort();
}

describe('tab-close rescue', () => {
  it('ingests a closed tab whose worker wrote nothing: every click, once, and the journal is gone', async () => {
    const [db, rdb] = [`rescue-store-${++seq}`, `rescue-journal-${seq}`];
    await closedTab(db, rdb, [7], 1, 'nothing');
    expect(await callIds(db, rdb)).toEqual([1, 2, 3, 4]);
    const next = await service(db, rdb, 'again');
    expect((await next.aggregates({ id: 'closed' })).handlers.find((h) => h.handler === 'addToCart')?.count).toBe(4);
    const r = await openRescueDb(rdb);
    expect(await readRescues(r)).toEqual([]);
    r.close();
  });

  it('counts no click twice, whatever the dying worker wrote itself, and a second ingest adds nothing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 19 }), { maxLength: 4 }), fc.nat(5), fc.constantFrom('final', 'timer', 'nothing' as const), async (cuts, ingested, wrote) => {
        const [db, rdb] = [`rescue-store-${++seq}`, `rescue-journal-${seq}`];
        await closedTab(db, rdb, cuts, ingested, wrote);
        expect(await callIds(db, rdb)).toEqual([1, 2, 3, 4]);
        // A start interrupted after writing and before deleting the journal redoes it: nothing new.
        const store = await IdbStore.open(db);
        const again = await ingestJournal(store, { sessionId: 'closed', meta: makeMeta('closed'), strings: clicks().strings.slice(), batches: cut(clicks(), cuts), savedAt: 0 });
        store.close();
        expect(again).toBe(0);
        expect(await callIds(db, rdb)).toEqual([1, 2, 3, 4]);
      }),
      { numRuns: 25 },
    );
  });

  it('leaves the journal of a session still live in another tab for later', async () => {
    const [db, rdb] = [`rescue-store-${++seq}`, `rescue-journal-${seq}`];
    await closedTab(db, rdb, [7], 0, 'nothing');
    const s = new TelemetryService(() => IdbStore.open(db), { persistDelayMs: 10, liveSessions: { hold: () => {}, live: async () => new Set(['closed']) }, rescueDb: rdb });
    await s.start(makeMeta('other'));
    const r = await openRescueDb(rdb);
    expect((await readRescues(r)).map((x) => x.sessionId)).toEqual(['closed']);
    r.close();
  });
});
