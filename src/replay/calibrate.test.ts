import { describe, expect, it } from 'vitest';
import { calibrationWorkload } from '../core/machine.ts';
import { machineContext } from './calibrate.ts';

describe('replay calibration', () => {
  it('serialises the workload into a page unchanged: its source alone computes the same result', () => {
    const again = new Function(`return (${calibrationWorkload.toString()})`)() as () => number;
    expect(again()).toBe(calibrationWorkload());
  });

  it('keeps the median of the samples, so one preempted run does not move it', () => {
    const c = machineContext([10, 11, 90, 9, 10.5], 3.456);
    expect(c.calibrationMs).toBe(10.5);
    expect(c.loadAvg).toBe(3.46);
    expect(c.cpus).toBeGreaterThan(0);
  });
});
