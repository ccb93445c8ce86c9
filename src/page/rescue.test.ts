import 'fake-indexeddb/auto';
/** The page's half of the tab-close rescue: what it saves, when it lets go of it. */
import { describe, expect, it, vi } from 'vitest';
import { makeMeta } from '../core/__tests__/fixtures.ts';
import { STRIDE, type WireBatch } from '../core/wire.ts';
import { openRescueDb, readRescues } from '../store/rescue-db.ts';
import { PageRescue } from './rescue.ts';

function batch(n: number, fill: number): WireBatch {
  return { records: new Float64Array(n * STRIDE).fill(fill), count: n, stringBase: 0, strings: [], dropped: 0, now: fill };
}

async function rows() {
  const db = await openRescueDb();
  const r = await readRescues(db);
  db.close();
  return r;
}

describe('PageRescue', () => {
  it('saves its own copies (the transport transfers the originals away) and drops them once the worker confirms', async () => {
    const rescue = new PageRescue(makeMeta('page-1'), () => ['a', 'b']);
    // The database is opened at start, not at pagehide: wait for that, as a page would have.
    rescue.keep(batch(0, 0));
    await vi.waitFor(async () => {
      expect(rescue.save()).toBe(1);
      expect((await rows()).some((r) => r.sessionId === 'page-1')).toBe(true);
    });
    const b1 = batch(2, 1);
    rescue.keep(b1);
    structuredClone(b1.records.buffer, { transfer: [b1.records.buffer] }); // what comlink's transfer does
    const mark = rescue.save();
    await vi.waitFor(async () => {
      const row = (await rows()).find((r) => r.sessionId === 'page-1')!;
      expect(row.strings).toEqual(['a', 'b']);
      expect(row.batches.map((b) => [b.count, b.records[0]])).toEqual([[0, undefined], [2, 1]]);
    });
    rescue.keep(batch(1, 2)); // cut after the hide: not covered by the confirmation
    rescue.confirmed(mark);
    rescue.save();
    await vi.waitFor(async () => expect((await rows()).find((r) => r.sessionId === 'page-1')!.batches.map((b) => b.records[0])).toEqual([2]));
    rescue.confirmed(rescue.save());
    await vi.waitFor(async () => expect((await rows()).some((r) => r.sessionId === 'page-1')).toBe(false));
  });
});
