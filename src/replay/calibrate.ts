/**
 * The machine context a replay records: the CPU calibration workload (src/core/machine.ts) timed
 * in the page at replay start, in the renderer the handlers run in, and the load average. A
 * baseline from a quiet day and a check on a busy one are then compared by their speed ratio.
 */
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { calibrationWorkload, type MachineContext } from '../core/machine.ts';

/** Runs of the workload; the median is kept (one preempted run does not move it). */
const RUNS = 5;

export async function calibrate(page: Page): Promise<MachineContext> {
  const source = calibrationWorkload.toString();
  const times = await page.evaluate(
    ({ source, runs }) => {
      // The workload's source, evaluated in the page: the same function the Node side names.
      const work = new Function(`return (${source})`)() as () => number;
      const out: number[] = [];
      let sink = 0;
      work(); // warm-up: the first run includes compilation
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        sink ^= work();
        out.push(performance.now() - t);
      }
      (globalThis as Record<string, unknown>)['__homeostatCalibrationSink'] = sink;
      return out;
    },
    { source, runs: RUNS },
  );
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1]!;
  return { calibrationMs: Math.max(0.001, Math.round(median * 1000) / 1000), loadAvg: Math.round((loadavg()[0] ?? 0) * 100) / 100, cpus: cpus().length };
}
