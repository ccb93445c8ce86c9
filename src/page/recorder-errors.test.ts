import { describe, expect, it } from 'vitest';
import { errorKeyOf } from '../core/errors.ts';
import { rawThrown } from '../core/thrown.ts';
import type { WireBatch } from '../core/wire.ts';
import { Recorder } from './recorder.ts';
import { batcherOf, writeRecord } from './batcher.ts';

describe('errors met before the normaliser has loaded', () => {
  it('get their id at once, their normalised text when it loads, and nothing raw ever leaves', () => {
    const r = new Recorder();
    const secret = new TypeError('token=abc123secret for alice@example.com at 17');
    const early = r.internError(rawThrown(secret));
    const again = r.internError(rawThrown(new TypeError('token=abc123secret for alice@example.com at 17')));
    expect(again).toBe(early);
    // Shipped before the normaliser: the table carries an empty string, never the message.
    const batches: WireBatch[] = [];
    batcherOf(r).attach((b) => batches.push(b));
    writeRecord(r, 1);
    batcherOf(r).flush();
    expect(batches.flatMap((b) => b.strings).join('\n')).not.toMatch(/abc123|alice|17/);
    expect(r.allStrings()[early]).toBe('');

    r.normaliseErrorsWith(errorKeyOf);
    expect(r.allStrings()[early]).toBe(errorKeyOf(rawThrown(secret)));
    expect(r.allStrings()[early]).toMatch(/^TypeError: token .*<email> at <n>$/);
    expect(r.allStrings().join('\n')).not.toMatch(/abc123|alice/);
    // The same error met afterwards shares the key (and so the group) of the early one.
    expect(r.internError(rawThrown(secret))).toBe(early);
    expect(r.internError(rawThrown(new RangeError('out of range: 5')))).not.toBe(early);
  });

  it('never keeps the name of an error when it is not an identifier', () => {
    const r = new Recorder();
    r.normaliseErrorsWith(errorKeyOf);
    const e = new Error('x');
    e.name = 'sk_live_abcdefghijklmnop';
    expect(r.allStrings()[r.internError(rawThrown(e))]).toBe('Error: x');
  });
});
