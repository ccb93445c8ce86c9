import { describe, expect, it } from 'vitest';
import { transitionLanesMask } from './react-lanes.ts';
import { transitionLanesMask as pageMask } from '../react/internals.ts';

describe('transition lane masks', () => {
  // The page runtime keeps its own copy (one shared module became a chunk every page loads): the two must agree.
  it('are the same for the page runtime and the bridge agent, version by version', () => {
    for (const v of ['17.0.2', '18.0.0', '18.3.1', '19.0.0', '19.1.0', '19.2.1', '19.3.0-canary-1', '20.0.0', 'x', null, undefined]) {
      expect(transitionLanesMask(v), String(v)).toBe(pageMask(v));
    }
    expect(transitionLanesMask('19.2.0')).toBe(0b0000000001111111111111100000000);
    expect(transitionLanesMask('17.0.2')).toBeNull();
  });
});
