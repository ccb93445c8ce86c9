/**
 * The machine context a replay records: the CPU calibration workload (src/core/machine.ts) timed
 * in the page at replay start, in the renderer the handlers run in, and the load average. A
 * baseline from a quiet day and a check on a busy one are then compared by their speed ratio.
 */
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { calibrationWorkload, type MachineContext } from '../core/machine.ts';

/** Runs of the workload at replay start; the median of all samples is kept (one preempted run does not move it). */
const RUNS = 5;

/**
 * Samples of the workload's time in the page: `runs` of them now. A replay takes five at start
 * and one after each step, so the median follows the load over the whole run, not one moment.
 */
export async function calibrationSamples(page: Page, runs = RUNS): Promise<number[]> {
  const source = calibrationWorkload.toString();
  const times = await page.evaluate(
    ({ source, runs }) => {
      // The workload's source, evaluated in the page: the same function the Node side names.
      const work = new Function(`return (${source})`)() as () => number;
      const out: number[] = [];
      let sink = 0;
      if (runs > 1) work(); // warm-up: the first run includes compilation
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        sink ^= work();
        out.push(performance.now() - t);
      }
      (globalThis as Record<string, unknown>)['__homeostatCalibrationSink'] = sink;
      return out;
    },
    { source, runs },
  );
  return times;
}

/** The machine context from the samples taken, and the load average at replay start. */
export function machineContext(samples: readonly number[], loadAtStart: number): MachineContext {
  const sorted = samples.slice().sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  return { calibrationMs: Math.max(0.001, Math.round(median * 1000) / 1000), loadAvg: Math.round(loadAtStart * 100) / 100, cpus: cpus().length };
}

export function loadNow(): number {
  return loadavg()[0] ?? 0;
}
