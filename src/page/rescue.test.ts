import 'fake-indexeddb/auto';
/** The page's half of the tab-close rescue: every batch journaled as it is cut, until the worker confirms it. */
import { describe, expect, it, vi } from 'vitest';
import { makeMeta } from '../core/__tests__/fixtures.ts';
import { STRIDE, type WireBatch } from '../core/wire.ts';
import { openRescueDb, readRescues } from '../store/rescue-db.ts';
import { CONFIRM_HORIZON_MS, PageRescue } from './rescue.ts';

function batch(n: number, fill: number): WireBatch {
  return { records: new Float64Array(n * STRIDE).fill(fill), count: n, stringBase: 0, strings: [], dropped: 0, now: fill };
}

async function journal(id: string) {
  const db = await openRescueDb();
  const r = (await readRescues(db)).find((x) => x.sessionId === id);
  db.close();
  return r;
}

describe('PageRescue', () => {
  it('journals its own copy of each batch as it is cut (also those cut before the database opened), until confirmed', async () => {
    const strings = ['a'];
    const rescue = new PageRescue(makeMeta('page-1'), () => strings);
    rescue.keep(batch(1, 1)); // before the database has opened
    await vi.waitFor(async () => expect((await journal('page-1'))?.batches.map((b) => b.records[0])).toEqual([1]));
    const b2 = batch(2, 2);
    rescue.keep(b2);
    structuredClone(b2.records.buffer, { transfer: [b2.records.buffer] }); // what comlink's transfer does to the original
    strings.push('b');
    rescue.keep(batch(1, 3));
    await vi.waitFor(async () => {
      const j = await journal('page-1');
      expect(j?.batches.map((b) => [b.count, b.records[0]])).toEqual([[1, 1], [2, 2], [1, 3]]);
      expect(j?.strings).toEqual(['a', 'b']);
    });
    const mark = rescue.mark();
    rescue.keep(batch(1, 4)); // cut after the hide: not covered by the worker's confirmation
    rescue.confirmed(mark);
    await vi.waitFor(async () => expect((await journal('page-1'))?.batches.map((b) => b.records[0])).toEqual([4]));
    rescue.confirmed(rescue.mark());
    await vi.waitFor(async () => expect(await journal('page-1')).toBeUndefined());
    expect(rescue.pending).toBe(false);
  });

  it('lets a periodic flush confirm only the batches cut long enough ago', () => {
    const rescue = new PageRescue(makeMeta('page-2'), () => []);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      rescue.keep(batch(1, 1));
      vi.setSystemTime(Date.now() + CONFIRM_HORIZON_MS + 1);
      rescue.keep(batch(1, 2));
      expect(rescue.settledMark()).toBe(1);
      vi.setSystemTime(Date.now() + CONFIRM_HORIZON_MS + 1);
      expect(rescue.settledMark()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
