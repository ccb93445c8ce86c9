// @vitest-environment jsdom
/**
 * Nothing Homeostat runs at start-up may spin or block the host: under a frozen clock (Vitest's
 * fake timers fake `performance` too), without Worker or IndexedDB (jsdom), the client starts in
 * memory, records, and then stays quiet. A regression here used to hang a host's whole test
 * suite at 100% CPU, where no test timeout can fire.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RESOLUTION_MS, MAX_READS_PER_STEP, measureClockResolution } from './clock-step.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('measuring the clock step', () => {
  it('gives up on a frozen clock after a bounded number of reads, with the default', () => {
    let reads = 0;
    const frozen = () => {
      // Far past the bound: what an unbounded loop would do (it would never end).
      if (++reads > 50 * MAX_READS_PER_STEP) throw new Error('spun on a frozen clock');
      return 1234.5;
    };
    expect(measureClockResolution(12, 20, frozen)).toBe(DEFAULT_RESOLUTION_MS);
    expect(reads).toBeLessThanOrEqual(MAX_READS_PER_STEP + 2);
  });

  it('finds the step of a clock that moves, and of one that moves only every few reads', () => {
    let t = 0;
    expect(measureClockResolution(12, 20, () => (t += 0.1))).toBe(0.1);
    let reads = 0;
    expect(measureClockResolution(12, 20, () => Math.floor(++reads / 7) * 0.005)).toBe(0.005);
  });

  it('returns under Vitest fake timers (a frozen performance.now)', () => {
    vi.useFakeTimers();
    const before = performance.now();
    expect(measureClockResolution()).toBe(DEFAULT_RESOLUTION_MS);
    expect(performance.now()).toBe(before);
  });
});

describe('the client under a frozen clock, without Worker or IndexedDB', () => {
  it('starts in memory, records, answers queries, and stays quiet', async () => {
    vi.useFakeTimers();
    expect(typeof Worker).toBe('undefined');
    expect(typeof indexedDB).toBe('undefined');
    const complaints = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
    const { init } = await import('./client.ts');
    const { instrument } = await import('./instrument.ts');
    const client = init({ app: 'frozen-clock' });
    // vi.waitFor advances the fake clock on each check; the modules load in real time.
    await vi.waitFor(() => expect(client.status().transport.kind).toBe('memory'), { timeout: 15_000, interval: 20 });
    expect(client.status().session.clockResolutionMs).toBe(DEFAULT_RESOLUTION_MS);

    expect(instrument('frozen.tick', (n: number) => n + 1)(1)).toBe(2);
    // No paint comes in jsdom: a final flush attributes the call with what is known.
    let answered = false;
    const aggregates = client
      .flush({ final: true })
      .then(() => client.aggregates())
      .finally(() => (answered = true));
    await vi.waitFor(() => expect(answered).toBe(true), { timeout: 15_000, interval: 20 });
    expect((await aggregates).handlers.map((a) => a.handler)).toContain('frozen.tick');

    // Ten idle minutes: the batcher's heartbeats end, nothing keeps rescheduling itself.
    await vi.advanceTimersByTimeAsync(600_000);
    expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
    for (const c of complaints) expect(c).not.toHaveBeenCalled();
  });
});
