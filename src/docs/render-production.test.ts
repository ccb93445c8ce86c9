import { describe, expect, it } from 'vitest';
import { emptyLedger, productionEntry, productionLines, setProductionEntry, type ProductionEntry } from './render-production.ts';

const entry: ProductionEntry = { date: '2026-12-03T00:00:00Z', before: 'b1', after: 'b2', verdict: 'confirmed', why: 'p95 interaction 432 → 96 ms', sessions: { before: 120, after: 130 }, needed: null, source: 'field.jsonl' };

describe('the production ledger under hostile handler names', () => {
  it("reads only its own entries: a handler named like Object's prototype members has none", () => {
    const ledger = emptyLedger();
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(productionEntry(ledger, name), name).toBeUndefined();
      expect(productionLines(productionEntry(ledger, name))).toEqual([]);
    }
  });

  it('keeps an entry for `__proto__` or `constructor` as an own property, and lists it', () => {
    const ledger = emptyLedger();
    setProductionEntry(ledger, '__proto__', entry);
    setProductionEntry(ledger, 'constructor', { ...entry, after: 'b3' });
    expect(productionEntry(ledger, '__proto__')).toEqual(entry);
    expect(productionEntry(ledger, 'constructor')!.after).toBe('b3');
    expect(Object.getPrototypeOf(ledger.handlers)).toBe(Object.prototype);
    expect(Object.keys(ledger.handlers).sort()).toEqual(['__proto__', 'constructor']);
    expect(productionLines(productionEntry(ledger, 'constructor'))[1]).toMatch(/confirmed in production on build b3/);
  });
});
