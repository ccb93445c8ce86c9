/** The page clock's resolution, measured once when the client's runtime loads. */

/** The resolution assumed when it cannot be measured (Chromium's without cross-origin isolation). */
export const DEFAULT_RESOLUTION_MS = 0.1;

/**
 * Reads of the clock one sample may wait for a step. A real clock steps within a few thousand
 * reads (100 µs at tens of ns a read); a frozen one (fake timers fake `performance`) never
 * does, and a loop bounded by the clock alone would then spin forever.
 */
export const MAX_READS_PER_STEP = 20_000;

/**
 * The smallest step `performance.now()` takes on this page: 5 µs when cross-origin isolated,
 * 100 µs otherwise in Chromium. Spins for a few steps, so call it off the hot path. Bounded by
 * count as well as by time: a clock that does not move gives DEFAULT_RESOLUTION_MS after at most
 * MAX_READS_PER_STEP reads.
 */
export function measureClockResolution(samples = 12, budgetMs = 20, now: () => number = defaultNow): number {
  let best = Infinity;
  try {
    const deadline = now() + budgetMs;
    for (let i = 0; i < samples; i++) {
      const t0 = now();
      let t1 = t0;
      for (let reads = 0; t1 === t0 && reads < MAX_READS_PER_STEP; reads++) t1 = now();
      // Frozen (or not a number): no step to see, and the next sample would see none either.
      if (t1 === t0 || Number.isNaN(t1)) break;
      const step = t1 - t0;
      if (step > 0 && step < best) best = step;
      if (t1 > deadline) break;
    }
  } catch {
    // A clock that throws: the default.
  }
  // Round away float noise: steps are whole microseconds at most.
  return Number.isFinite(best) ? Math.max(0.001, Math.round(best * 1000) / 1000) : DEFAULT_RESOLUTION_MS;
}

function defaultNow(): number {
  return performance.now();
}
