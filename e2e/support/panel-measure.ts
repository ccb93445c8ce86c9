/**
 * Measures the DevTools panel from inside its own frame: frame rate, long tasks, and how many
 * calls per second its live counter shows. Shared by the panel stress test (which asserts
 * behaviour under load) and `npm run bench:panel` (which reports the numbers as ratios).
 */
import type { PanelHandle } from './extension.ts';

const MEASURE = `(ms) => new Promise((resolve) => {
  const long = [];
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration); });
  obs.observe({ type: 'longtask' });
  const stream = () => document.querySelector('[data-testid=stream]');
  const start = { total: Number(stream().dataset.total), ticks: Number(stream().dataset.ticks) };
  let frames = 0, worstGap = 0, last = performance.now();
  const t0 = last;
  const frame = (now) => {
    frames++;
    worstGap = Math.max(worstGap, now - last);
    last = now;
    if (now - t0 < ms) return requestAnimationFrame(frame);
    obs.disconnect();
    const secs = (now - t0) / 1000;
    resolve({
      seconds: secs,
      fps: frames / secs,
      worstFrameGapMs: worstGap,
      longTasks: long.length,
      longTaskMs: long.reduce((a, b) => a + b, 0),
      longestTaskMs: Math.max(0, ...long),
      callsPerSecondShown: (Number(stream().dataset.total) - start.total) / secs,
      ticksPerSecond: (Number(stream().dataset.ticks) - start.ticks) / secs,
    });
  };
  requestAnimationFrame(frame);
})`;

export interface Measurement {
  seconds: number;
  fps: number;
  worstFrameGapMs: number;
  longTasks: number;
  longTaskMs: number;
  longestTaskMs: number;
  callsPerSecondShown: number;
  ticksPerSecond: number;
}

export async function measurePanel(panel: PanelHandle, ms: number): Promise<Measurement> {
  return panel.evaluate<Measurement>(`(${MEASURE})(${ms})`);
}

