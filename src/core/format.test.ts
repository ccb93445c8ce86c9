import { describe, expect, it } from 'vitest';
import { formatCount, formatFactor, formatMs, formatPct, formatQuantity } from './format.ts';

describe('formatMs', () => {
  it('keeps about three significant digits in tables', () => {
    expect([1.234, 12.34, 123.4].map((v) => formatMs(v))).toEqual(['1.23', '12.3', '123']);
  });
  it('never prints digits finer than the clock', () => {
    expect(formatMs(1.234, { resolutionMs: 0.1 })).toBe('1.2');
    expect(formatMs(1.234, { resolutionMs: 0.005 })).toBe('1.23');
    expect(formatMs(1.234, { resolutionMs: 1 })).toBe('1');
  });
  it('reads seconds in sentences, and what is missing as the caller says', () => {
    expect(formatMs(1744, { seconds: true })).toBe('1.7 s');
    expect(formatMs(88.9, { seconds: true })).toBe('89 ms');
    expect(formatMs(4.24, { seconds: true })).toBe('4.2 ms');
    expect(formatMs(null, { empty: '—' })).toBe('—');
    expect(formatMs(Number.NaN)).toBe('–');
    expect(formatMs(Infinity)).toBe('∞');
    expect(formatMs(12.34, { unit: true })).toBe('12.3 ms');
  });
});

describe('formatPct, formatCount, formatQuantity, formatFactor', () => {
  it('prints shares, counts, quantities and ratios with the precision their size deserves', () => {
    expect([0, 0.035, 0.42, 1].map((v) => formatPct(v))).toEqual(['0%', '3.5%', '42%', '100%']);
    expect(formatPct(undefined, { empty: 'n/a' })).toBe('n/a');
    expect(formatCount(0.4444)).toBe('0.4');
    expect(formatQuantity(3, 'count')).toBe('3');
    expect(formatQuantity(2092)).toBe('2.1 s');
    expect([0.0014, 0.18, 1.07, 12.4].map(formatFactor)).toEqual(['0.0014', '0.18', '1.07', '12']);
  });
});
