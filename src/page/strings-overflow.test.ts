// Its own file: it fills the page's one string table, which every wrapper in a module shares.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileName } from '../core/__tests__/hostile.ts';
import { Kind, STRIDE, type WireBatch } from '../core/wire.ts';
import { getRecorder, instrument, MAX_NAME, nameOf, sequence } from './instrument.ts';
import { OVERFLOW, Recorder } from './recorder.ts';
import { batcherOf } from './batcher.ts';

function calls(): Array<{ handler: string; error: string | null }> {
  const r = getRecorder();
  const batches: WireBatch[] = [];
  batcherOf(r).attach((b) => batches.push(b));
  batcherOf(r).flush();
  batcherOf(r).attach(null);
  const strings = r.allStrings();
  const out: Array<{ handler: string; error: string | null }> = [];
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      const row = b.records.subarray(i * STRIDE, (i + 1) * STRIDE);
      if (row[0] === Kind.Call) out.push({ handler: strings[row[1]!]!, error: row[8]! >= 0 ? strings[row[8]!]! : null });
    }
  }
  return out;
}

describe('the string table', () => {
  it('folds strings beyond its limit into one marker, without recursion, and counts them', () => {
    const r = new Recorder({ maxStrings: 3 });
    expect([r.intern('a'), r.intern('b'), r.intern('c')]).toEqual([0, 1, 2]);
    const folded = r.intern('d');
    expect(r.intern('e')).toBe(folded);
    expect(r.allStrings()[folded]).toBe(OVERFLOW);
    expect(r.intern('a')).toBe(0);
    expect(r.foldedStrings).toBe(2);
    expect(r.allStrings()).toHaveLength(4);
  });

  it('never throws into the app past 2,000 distinct handler, sequence and error names; the app gets its own errors', async () => {
    class AppError extends Error {}
    const recorded: ReturnType<typeof calls> = [];
    for (let i = 0; i < 2600; i++) {
      if (i % 100 === 0) recorded.push(...calls());
      const ok = instrument(`handler${i}`, (x: number) => x + 1);
      expect(ok(i)).toBe(i + 1);
      expect(sequence(`sequence${i}`, () => i)).toBe(i);
      const bad = instrument(`failing${i}`, () => {
        throw new AppError(`failure kind ${'x'.repeat(i % 50)} ${i}`);
      });
      expect(() => bad()).toThrow(AppError);
      const rejecting = instrument(`rejecting${i}`, async () => Promise.reject(new AppError(`no ${'y'.repeat(i % 40)}`)));
      await expect(rejecting()).rejects.toBeInstanceOf(AppError);
    }
    recorded.push(...calls());
    expect(getRecorder().dropped).toBe(0);
    expect(recorded).toHaveLength(3 * 2600);
    // The early names are kept; later ones are recorded under the marker, not dropped.
    expect(recorded.some((c) => c.handler === 'handler0')).toBe(true);
    expect(recorded.some((c) => c.handler === OVERFLOW)).toBe(true);
    expect(getRecorder().allStrings().length).toBeLessThanOrEqual(2001);
    expect(getRecorder().foldedStrings).toBeGreaterThan(0);
  });
});

describe('names', () => {
  it('any name is recorded as 1–200 characters, and instrumenting with it never throws', () => {
    fc.assert(
      fc.property(fc.oneof(hostileName, fc.string({ maxLength: 500 }), fc.constant('')), (name) => {
        const w = instrument(name, () => 42);
        expect(w()).toBe(42);
        const n = nameOf(name);
        expect(n.length).toBeGreaterThanOrEqual(1);
        expect(n.length).toBeLessThanOrEqual(MAX_NAME);
        if (name.length >= 1 && name.length <= MAX_NAME) expect(n).toBe(name);
      }),
    );
  });

  it('survives names that are not strings', () => {
    const hostile = { toString: () => { throw new Error('not today'); } };
    const w = instrument(hostile as unknown as string, () => 'ok');
    expect(w()).toBe('ok');
    expect(instrument(Symbol('s') as unknown as string, () => 1)()).toBe(1);
    expect(sequence(hostile as unknown as string, () => 2)).toBe(2);
  });
});
