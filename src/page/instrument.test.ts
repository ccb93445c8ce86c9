import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorKeyOf } from '../core/errors.ts';
import { CallFlag, Kind, STRIDE, type WireBatch } from '../core/wire.ts';
import { getRecorder, instrument, instrumentedName, sequence, unwrap } from './instrument.ts';
import { batcherOf, writeRecord } from './batcher.ts';
import { ownBatcher } from '../test-support/own-batcher.ts';

/** Everything the recorder wrote, decoded to { kind, fields }. */
function drain(): { kind: number; f: number[] }[] {
  const batches: WireBatch[] = [];
  const r = getRecorder();
  batcherOf(r).attach((b) => batches.push(b));
  batcherOf(r).flush();
  batcherOf(r).attach(null);
  const out: { kind: number; f: number[] }[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const row = Array.from(b.records.subarray(i * STRIDE, (i + 1) * STRIDE));
      out.push({ kind: row[0]!, f: row.slice(1) });
    }
  }
  return out;
}

function strings(): readonly string[] {
  return getRecorder().allStrings();
}

// As the client's runtime does when it loads (before anything is shipped).
// The client's runtime must not take the records these tests drain themselves.
beforeAll(ownBatcher);
beforeAll(() => getRecorder().normaliseErrorsWith(errorKeyOf));

beforeEach(() => {
  getRecorder().on = true;
  drain();
});
afterEach(() => {
  getRecorder().on = true;
});

describe('instrument: behaviour passes through untouched', () => {
  it('returns exactly what the function returns', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const w = instrument('ret', () => value);
        expect(Object.is(w(), value)).toBe(true);
      }),
    );
  });

  it('passes arguments and `this` exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 8 }), fc.anything(), (args, self) => {
        let seenThis: unknown;
        let seenArgs: unknown[] = [];
        const w = instrument('args', function (this: unknown, ...a: unknown[]) {
          seenThis = this;
          seenArgs = a;
        });
        w.apply(self, args as never[]);
        expect(Object.is(seenThis, self)).toBe(true);
        expect(seenArgs.length).toBe(args.length);
        seenArgs.forEach((a, i) => expect(Object.is(a, args[i])).toBe(true));
      }),
    );
  });

  it('rethrows exactly what the function throws', () => {
    fc.assert(
      fc.property(fc.anything(), (thrown) => {
        const w = instrument('throws', () => {
          throw thrown;
        });
        let caught: unknown = Symbol('none');
        try {
          w();
        } catch (e) {
          caught = e;
        }
        expect(Object.is(caught, thrown)).toBe(true);
      }),
    );
  });

  it('returns the very same promise, which resolves or rejects as before', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.boolean(), async (value, reject) => {
        let made!: Promise<unknown>;
        const w = instrument('async', () => {
          made = reject ? Promise.reject(value) : Promise.resolve(value);
          return made;
        });
        const got = w();
        expect(got).toBe(made);
        const settled = await (got as Promise<unknown>).then(
          (v) => ({ ok: true, v }),
          (e: unknown) => ({ ok: false, v: e }),
        );
        expect(settled.ok).toBe(!reject);
        expect(Object.is(settled.v, value)).toBe(true);
      }),
    );
  });

  it('works for async functions and keeps their rejection reason', async () => {
    const err = new Error('nope 42');
    const w = instrument('asyncFn', async (x: number) => {
      await null;
      if (x < 0) throw err;
      return x * 2;
    });
    await expect(w(21)).resolves.toBe(42);
    await expect(w(-1)).rejects.toBe(err);
  });

  it('never touches a thenable that is not a native promise', () => {
    let reads = 0;
    const thenable = {
      get then() {
        reads++;
        return (resolve: (v: number) => void) => resolve(1);
      },
    };
    const w = instrument('thenable', () => thenable);
    expect(w()).toBe(thenable);
    expect(reads).toBe(0);
  });

  it('supports `new`, prototypes and instanceof', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      norm() {
        return Math.hypot(this.x, this.y);
      }
    }
    const W = instrument('Point', Point as unknown as (...a: never[]) => unknown) as unknown as typeof Point;
    const p = new W(3, 4);
    expect(p).toBeInstanceOf(Point);
    expect(p.norm()).toBe(5);
  });

  it('keeps name and length, and can be unwrapped', () => {
    function handleSubmit(_a: unknown, _b: unknown) {}
    const w = instrument('submit', handleSubmit);
    expect(w.name).toBe('handleSubmit');
    expect(w.length).toBe(2);
    expect(unwrap(w)).toBe(handleSubmit);
    expect(instrumentedName(w)).toBe('submit');
    expect(instrument('again', w)).toBe(w);
  });

  it('returns non-functions unchanged instead of throwing into the app', () => {
    const notFn = 42 as unknown as () => void;
    expect(instrument('x', notFn)).toBe(42);
  });

  it('is a plain pass-through while recording is off', () => {
    const w = instrument('paused', (a: number) => a + 1);
    getRecorder().on = false;
    expect(w(1)).toBe(2);
    expect(drain()).toEqual([]);
  });
});

describe('instrument: what it records', () => {
  it('writes one Call record per call with its timing and handler name', () => {
    const w = instrument('recorded', (n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += i;
      return s;
    });
    for (let i = 0; i < 5; i++) w(1000);
    const calls = drain().filter((r) => r.kind === Kind.Call);
    expect(calls).toHaveLength(5);
    for (const c of calls) {
      expect(strings()[c.f[0]!]).toBe('recorded');
      expect(c.f[3]!).toBeGreaterThanOrEqual(c.f[2]!);
      expect(c.f[4]! & CallFlag.Threw).toBe(0);
    }
    expect(new Set(calls.map((c) => c.f[1])).size).toBe(5);
  });

  it('flags a throw with a normalised error and no argument data', () => {
    const w = instrument('fails', (secret: string) => {
      throw new TypeError(`cannot parse "${secret}" at 17`);
    });
    expect(() => w('my-password')).toThrow(TypeError);
    const [c] = drain().filter((r) => r.kind === Kind.Call);
    expect(c!.f[4]! & CallFlag.Threw).toBe(CallFlag.Threw);
    expect(strings()[c!.f[7]!]).toBe('TypeError: cannot parse <str> at <n>');
    expect(strings().some((s) => s.includes('my-password'))).toBe(false);
  });

  it('records the settle of a returned promise, and the rejection as an error', async () => {
    const w = instrument('later', async (fail: boolean) => {
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('down');
    });
    await w(false);
    await w(true).catch(() => undefined);
    const rows = drain();
    const calls = rows.filter((r) => r.kind === Kind.Call);
    const settles = rows.filter((r) => r.kind === Kind.Settle);
    expect(calls.every((c) => (c.f[4]! & CallFlag.Async) !== 0)).toBe(true);
    expect(settles.map((s) => s.f[0])).toEqual(calls.map((c) => c.f[1]));
    expect(settles.map((s) => s.f[2])).toEqual([0, 1]);
    expect(strings()[settles[1]!.f[3]!]).toBe('Error: down');
  });

  it('records the parent of nested calls', () => {
    const inner = instrument('inner', () => 1);
    const outer = instrument('outer', () => inner() + 1);
    outer();
    const calls = drain().filter((r) => r.kind === Kind.Call);
    const byName = (n: string) => calls.find((c) => strings()[c.f[0]!] === n)!;
    expect(byName('inner').f[8]).toBe(byName('outer').f[1]);
    expect(byName('outer').f[8]).toBe(-1);
  });

  it('brackets an explicit sequence, also around an async function', async () => {
    const step = instrument('step', () => undefined);
    const out = await sequence('flow', async () => {
      step();
      await null;
      step();
      return 'done';
    });
    expect(out).toBe('done');
    const kinds = drain().map((r) => r.kind);
    expect(kinds.filter((k) => k === Kind.SeqBegin)).toHaveLength(1);
    expect(kinds.indexOf(Kind.SeqEnd)).toBe(kinds.length - 1);
    expect(kinds.filter((k) => k === Kind.Call)).toHaveLength(2);
  });

  it('keeps memory bounded: drops the oldest records and counts them', () => {
    const r = getRecorder();
    r.configure({ capacity: 64 });
    const w = instrument('flood', () => undefined);
    const before = r.dropped;
    for (let i = 0; i < 200; i++) w();
    expect(r.buffered).toBe(64);
    expect(r.dropped - before).toBe(200 - 64);
    drain();
    r.configure({ capacity: 8192 });
  });
});

describe('recorder heartbeats', () => {
  it('after the last batch, sends three empty batches (past grace, idle close and the waiting cap) so the worker can close the last interaction, then goes quiet', async () => {
    const { Recorder } = await import('./recorder.ts');
    vi.useFakeTimers();
    try {
      const r = new Recorder({ flushIntervalMs: 50 });
      const batches: WireBatch[] = [];
      batcherOf(r).attach((b) => batches.push(b));
      writeRecord(r, Kind.Paint, 1);
      vi.advanceTimersByTime(60);
      expect(batches.map((b) => b.count)).toEqual([1]);
      vi.advanceTimersByTime(800);
      expect(batches.map((b) => b.count)).toEqual([1, 0]);
      vi.advanceTimersByTime(1800);
      expect(batches.map((b) => b.count)).toEqual([1, 0, 0]);
      vi.advanceTimersByTime(8400);
      expect(batches.map((b) => b.count)).toEqual([1, 0, 0, 0]);
      vi.advanceTimersByTime(60_000);
      expect(batches).toHaveLength(4);
      // New records restart the cycle; a heartbeat never ships while records wait.
      writeRecord(r, Kind.Paint, 2);
      vi.advanceTimersByTime(60);
      vi.advanceTimersByTime(800);
      expect(batches.map((b) => b.count)).toEqual([1, 0, 0, 0, 1, 0]);
    } finally {
      vi.useRealTimers();
    }
  });
});
