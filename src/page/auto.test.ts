// @vitest-environment jsdom
/**
 * The runtime the build plugin's output calls, against the real recorder: calls record under
 * the plugin's names, explicit wrappers win without double counting, values wrapped where
 * they are passed keep a stable identity, and source locations are registered.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallFlag, Kind, STRIDE, type WireBatch } from '../core/wire.ts';
import { enter, enterTop, exit, exitTop, mark, names, ret, retTop, suspend, threw, threwTop, wrap } from './auto.ts';
import { getRecorder, instrument } from './instrument.ts';
import { handlerSources } from './sources.ts';
import { batcherOf } from './batcher.ts';
import { ownBatcher } from '../test-support/own-batcher.ts';

/** Names of the handlers of the Call records written since the last drain, in call order. */
function drainCalls(): string[] {
  const batches: WireBatch[] = [];
  const r = getRecorder();
  batcherOf(r).attach((b) => batches.push(b));
  batcherOf(r).flush();
  batcherOf(r).attach(null);
  const strings = r.allStrings();
  const out: Array<{ id: number; name: string }> = [];
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const row = b.records.subarray(i * STRIDE, (i + 1) * STRIDE);
      if (row[0] === Kind.Call) out.push({ id: row[2]!, name: strings[row[1]!]! });
    }
  }
  return out.sort((a, b) => a.id - b.id).map((c) => c.name);
}

/** `body` run as the plugin emits a synchronous body (without a token). */
function run<R>(table: ReturnType<typeof names>, index: number, body: () => R): R {
  enterTop(table, index);
  try {
    return retTop(body());
  } catch (e) {
    threwTop(e);
    throw e;
  }
}

// The client's runtime must not take the records these tests drain themselves.
beforeAll(ownBatcher);
beforeEach(() => {
  drainCalls();
});

describe('homeostat/auto', () => {
  it('records a body under the name the plugin gave it, returning what it returns', () => {
    const table = names('src/App.jsx', ['App.onClick', 12, 26, 'App.save', 20, 3]);
    expect(table).toBeDefined();
    const value = { x: 1 };
    expect(run(table, 0, () => value)).toBe(value);
    expect(() => run(table, 1, () => { throw new RangeError('x'); })).toThrow(RangeError);
    expect(drainCalls()).toEqual(['App.onClick', 'App.save']);
    expect(handlerSources()['App.onClick']).toEqual({ file: 'src/App.jsx', line: 12, column: 26 });
  });

  it('lets an explicit wrapper win: a marked function it calls directly is recorded once, under the explicit name', () => {
    const table = names('src/lib.js', ['save', 3, 1, 'inner', 9, 1]);
    function save(n: number) {
      return run(table, 0, () => n * 2);
    }
    mark(save, table, 0);
    const named = instrument('persist', save);
    expect(named(21)).toBe(42);
    expect(drainCalls()).toEqual(['persist']);
    // Called by anything else, it records as itself.
    expect(save(1)).toBe(2);
    expect(drainCalls()).toEqual(['save']);
    // An unmarked instrumented function inside an explicit one is a nested call of its own.
    const outer = instrument('outer', () => run(table, 1, () => 1));
    outer();
    expect(drainCalls()).toEqual(['outer', 'inner']);
  });

  it('wraps values passed to event props with a stable identity, and leaves marked functions alone', () => {
    const table = names('src/S.jsx', ['Search.debounced', 4, 20, 'Search.onKeyDown', 5, 20]);
    const debounced = () => 'd';
    const w1 = wrap(debounced, table, 0);
    const w2 = wrap(debounced, table, 0);
    expect(w1).toBe(w2);
    expect(w1).not.toBe(debounced);
    expect(w1()).toBe('d');
    expect(wrap(undefined, table, 1)).toBeUndefined();
    function handled() {
      return run(table, 1, () => 'h');
    }
    mark(handled, table, 1);
    expect(wrap(handled, table, 1)).toBe(handled);
    handled();
    expect(drainCalls()).toEqual(['Search.debounced', 'Search.onKeyDown']);
  });
});

/** Call and Settle records written since the last drain. */
function drainRecords(): { calls: Array<{ name: string; id: number; start: number; end: number; flags: number; parent: number }>; settles: Array<{ id: number; at: number; rejected: boolean }> } {
  const batches: WireBatch[] = [];
  const r = getRecorder();
  batcherOf(r).attach((b) => batches.push(b));
  batcherOf(r).flush();
  batcherOf(r).attach(null);
  const strings = r.allStrings();
  const calls = [];
  const settles = [];
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const row = b.records.subarray(i * STRIDE, (i + 1) * STRIDE);
      if (row[0] === Kind.Call) calls.push({ name: strings[row[1]!]!, id: row[2]!, start: row[3]!, end: row[4]!, flags: row[5]!, parent: row[9]! });
      if (row[0] === Kind.Settle) settles.push({ id: row[1]!, at: row[2]!, rejected: row[3] === 1 });
    }
  }
  return { calls: calls.sort((a, b) => a.id - b.id), settles };
}

describe('homeostat/auto in place (what the plugin emits now)', () => {
  const table = names('src/Place.jsx', ['outer', 1, 1, 'inner', 2, 1, 'load', 3, 1]);
  // Hand-written as the plugin emits them.
  function inner(x: number): number {
    const t = enter(table, 1);
    try {
      if (x < 0) throw new RangeError('negative');
      return ret(t, x * 2);
    } catch (e) {
      threw(t, e);
      throw e;
    }
  }
  function outer(x: number): void {
    const t = enter(table, 0);
    try {
      inner(x);
      exit(t);
    } catch (e) {
      threw(t, e);
      throw e;
    }
  }
  async function load(gate: Promise<void>): Promise<string> {
    const t = enter(table, 2, 1);
    try {
      await suspend(t, gate);
      return ret(t, 'loaded');
    } catch (e) {
      threw(t, e);
      throw e;
    }
  }

  it('records nested calls, a throw and a fall-off end once each, with parents', () => {
    drainRecords();
    outer(1);
    expect(() => outer(-1)).toThrow(RangeError);
    const { calls } = drainRecords();
    expect(calls.map((c) => [c.name, (c.flags & CallFlag.Threw) !== 0])).toEqual([
      ['outer', false],
      ['inner', false],
      ['outer', true],
      ['inner', true],
    ]);
    expect(calls[1]!.parent).toBe(calls[0]!.id);
    expect(calls[3]!.parent).toBe(calls[2]!.id);
  });

  it('ends an async call\'s synchronous part at its first await, and settles it when its body completes', async () => {
    drainRecords();
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const p = load(gate);
    const early = drainRecords();
    expect(early.calls.map((c) => [c.name, (c.flags & CallFlag.Async) !== 0])).toEqual([['load', true]]);
    expect(early.settles).toEqual([]);
    open();
    await expect(p).resolves.toBe('loaded');
    const late = drainRecords();
    expect(late.settles).toEqual([expect.objectContaining({ id: early.calls[0]!.id, rejected: false })]);
  });
});

describe('wrap (values passed to event props)', () => {
  it('keeps a debounced handler\'s own properties, keys, name and length, and records its calls', () => {
    const table = names('src/D.jsx', ['Search.onChange', 4, 20]);
    function debounced(this: unknown, q: string) {
      return [this, q];
    }
    const cancel = () => 'cancelled';
    debounced.cancel = cancel;
    debounced.id = 7;
    const w = wrap(debounced, table, 0);
    expect(wrap(debounced, table, 0)).toBe(w);
    expect(w.cancel).toBe(cancel);
    expect(w.id).toBe(7);
    expect(Object.keys(w)).toEqual(Object.keys(debounced));
    expect([w.name, w.length]).toEqual(['debounced', 1]);
    expect(w.prototype).toBe(debounced.prototype);
    debounced.id = 8;
    expect(w.id).toBe(8);
    const self = {};
    expect(w.call(self, 'q')).toEqual([self, 'q']);
    expect(Object.getOwnPropertySymbols(debounced)).toEqual([]);
    expect(drainCalls()).toEqual(['Search.onChange']);
    // An explicit wrapper around it records once, under its own name.
    const named = instrument('explicit', w);
    expect(named).toBe(w);
  });
});

describe('instrument (and useHandler, which is instrument without hook state)', () => {
  it('returns the same wrapper for the same function and name, a new one when either changes', () => {
    const fn = (id: number) => id + 1;
    const a = instrument('select', fn);
    expect(instrument('select', fn)).toBe(a);
    expect(instrument('pick', fn)).not.toBe(a);
    expect(instrument('select', (id: number) => id + 1)).not.toBe(a);
    expect(a(1)).toBe(2);
    expect(a.length).toBe(1);
    drainCalls();
  });
});

describe('homeostat/auto without a token (what the plugin emits for a synchronous body)', () => {
  const table = names('src/Top.jsx', ['top.outer', 1, 1, 'top.inner', 2, 1]);
  // Hand-written as the plugin emits them.
  function inner(x: number): number {
    enterTop(table, 1);
    try {
      if (x < 0) throw new RangeError('negative');
      return retTop(x * 2);
    } catch (e) {
      threwTop(e);
      throw e;
    }
  }
  function outer(xs: number[]): number {
    enterTop(table, 0);
    try {
      let total = 0;
      for (let i = 0; i < xs.length; i++) {
        try {
          total += inner(xs[i]!);
        } catch {
          total -= 1;
        }
      }
      return retTop(total);
    } catch (e) {
      threwTop(e);
      throw e;
    }
  }

  it('records each call once, nested under its caller, with the throw of the one that threw', () => {
    expect(outer([1, -1, 2])).toBe(5);
    const { calls } = drainRecords();
    expect(calls.map((c) => c.name)).toEqual(['top.outer', 'top.inner', 'top.inner', 'top.inner']);
    const [o, a, b, c] = calls;
    expect([a!.parent, b!.parent, c!.parent]).toEqual([o!.id, o!.id, o!.id]);
    expect(calls.map((x) => (x.flags & CallFlag.Threw) !== 0)).toEqual([false, false, true, false]);
  });

  it('keeps the stack balanced when a call is not recorded (recorder off, or an explicit wrapper records it)', () => {
    const r = getRecorder();
    r.on = false;
    expect(outer([1])).toBe(2);
    r.on = true;
    expect(drainRecords().calls).toEqual([]);
    // The stack is empty again: a later call is not nested under anything.
    expect(inner(1)).toBe(2);
    const { calls } = drainRecords();
    expect(calls.map((c) => [c.name, c.parent])).toEqual([['top.inner', -1]]);
  });

  it('drops frames abandoned mid-call at the next microtask, counted, so later calls do not nest under them', async () => {
    const r = getRecorder();
    const dropped = r.dropped;
    // A body whose exit helper never ran (as when a helper of ours hits a stack overflow).
    enterTop(table, 0);
    await Promise.resolve();
    expect(r.dropped).toBe(dropped + 1);
    expect(inner(2)).toBe(4);
    const { calls } = drainRecords();
    expect(calls.map((c) => [c.name, c.parent])).toEqual([['top.inner', -1]]);
    r.dropped = dropped;
  });
});

describe('an interaction ships at once', () => {
  it("cuts a batch with a click's calls as soon as its listener returns, not at the next interval", async () => {
    const table = names('src/Click.jsx', ['Click.onClick', 1, 1]);
    function onClick(): void {
      enterTop(table, 0);
      try {
        exitTop();
      } catch (e) {
        threwTop(e);
        throw e;
      }
    }
    const batches: WireBatch[] = [];
    const r = getRecorder();
    const batcher = batcherOf(r);
    batcher.flush();
    batcher.attach((b) => batches.push(b));
    try {
      const button = document.createElement('button');
      button.addEventListener('click', onClick);
      document.body.append(button);
      button.click();
      // One microtask: no timer (the interval is 250 ms) can have run.
      await Promise.resolve();
      const strings = r.allStrings();
      const shipped = batches.flatMap((b) => Array.from({ length: b.count }, (_, i) => b.records.subarray(i * STRIDE, (i + 1) * STRIDE)));
      expect(shipped.filter((row) => row[0] === Kind.Call).map((row) => strings[row[1]!])).toEqual(['Click.onClick']);
      // Work outside an interaction waits for the interval.
      const before = batches.length;
      inner2(table);
      await Promise.resolve();
      expect(batches.length).toBe(before);
      button.remove();
    } finally {
      batcher.attach(null);
    }
  });
});

function inner2(table: ReturnType<typeof names>): void {
  enterTop(table, 0);
  exitTop();
}
