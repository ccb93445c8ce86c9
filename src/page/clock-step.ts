/** The page clock's resolution, measured once when the client's runtime loads. */

/**
 * The smallest step `performance.now()` takes on this page: 5 µs when cross-origin isolated,
 * 100 µs otherwise in Chromium. Spins for a few steps, so call it off the hot path.
 */
export function measureClockResolution(samples = 12, budgetMs = 20): number {
  let best = Infinity;
  const deadline = performance.now() + budgetMs;
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    let t1 = t0;
    while (t1 === t0) t1 = performance.now();
    const step = t1 - t0;
    if (step > 0 && step < best) best = step;
    if (t1 > deadline) break;
  }
  // Round away float noise: steps are whole microseconds at most.
  return Number.isFinite(best) ? Math.max(0.001, Math.round(best * 1000) / 1000) : 0.1;
}
