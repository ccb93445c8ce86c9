import { describe, expect, it } from 'vitest';
import { timeTicks } from './axis.ts';

describe('timeTicks', () => {
  it('picks round steps covering the span', () => {
    expect(timeTicks(400)).toEqual([0, 100, 200, 300, 400]);
    expect(timeTicks(37)).toEqual([0, 10, 20, 30]);
    expect(timeTicks(0.9)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(timeTicks(1234)).toEqual([0, 500, 1000]);
  });
  it('has a single tick for an empty span', () => {
    expect(timeTicks(0)).toEqual([0]);
    expect(timeTicks(Number.NaN)).toEqual([0]);
  });
});
