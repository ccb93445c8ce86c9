/**
 * Machine context: how fast the machine was when telemetry was recorded, so a baseline from a
 * quiet day and a check on a busy one compare like with like. A replay times a fixed CPU
 * workload in the page when it starts (`calibrationMs`: the same JavaScript, the same renderer
 * process the handlers run in) and records the load average; the page's clock step is in the
 * session already. `compareContexts` says how two contexts relate: the same speed, a speed
 * ratio to normalise timings by, or no fair comparison at all. Pure.
 */
import { z } from 'zod';

/** What a replay records about the machine it ran on (session files' top-level `machine`). */
export interface MachineContext {
  /** Median time of the calibration workload in the page at replay start, ms. */
  calibrationMs: number;
  /** The 1-minute load average when the replay started. */
  loadAvg: number;
  cpus: number;
}

export const machineContextSchema = z.object({ calibrationMs: z.number().finite().positive(), loadAvg: z.number().finite().nonnegative(), cpus: z.number().int().positive() }).strict();

/** A baseline's machine context: the sessions' median calibration, the worst load, the coarsest clock step. */
export interface BaselineContext {
  /** Coarsest `performance.now()` step of the sessions, ms. */
  clockMs: number;
  /** Median calibration time of the sessions, null when none was calibrated. */
  calibrationMs: number | null;
  /** Highest load average seen at their start, null when unknown. */
  loadAvg: number | null;
  cpus: number | null;
}

export const baselineContextSchema = z
  .object({ clockMs: z.number().finite().nonnegative(), calibrationMs: z.number().finite().positive().nullable(), loadAvg: z.number().finite().nonnegative().nullable(), cpus: z.number().int().positive().nullable() })
  .strict();

/**
 * Speed ratios within this band of 1 are run-to-run noise of the calibration itself: timings are
 * compared as they are. Outside it they are normalised by the ratio.
 */
export const SAME_SPEED_BAND = 0.15;
/** A load average per CPU under this is a quiet machine; two loads on either side of 1 per CPU are not comparable. */
const QUIET_LOAD = 0.5;

export type Comparison =
  /** Same machine speed (or nothing to tell them apart): timings compared as recorded. */
  | { kind: 'same'; factor: 1; reason: string }
  /** Both calibrated and their speeds differ: the baseline's timings are scaled by `factor` (now ÷ then) before comparing. */
  | { kind: 'normalised'; factor: number; reason: string }
  /** No calibration on one side and loads that differ: a timing verdict would measure the machine. */
  | { kind: 'unfair'; factor: 1; reason: string }
  /** The baseline has no context (written before it was recorded): compared as recorded, but say so. */
  | { kind: 'unknown'; factor: 1; reason: string };

/** The context of a set of sessions, as a baseline records it. */
export function contextOf(sessions: ReadonlyArray<{ session: { clockResolutionMs: number }; machine?: MachineContext | undefined }>): BaselineContext | null {
  if (sessions.length === 0) return null;
  const cal = sessions.map((s) => s.machine?.calibrationMs).filter((v): v is number => v !== undefined);
  const loads = sessions.map((s) => s.machine?.loadAvg).filter((v): v is number => v !== undefined);
  const cpus = sessions.map((s) => s.machine?.cpus).find((v) => v !== undefined) ?? null;
  return {
    clockMs: Math.max(...sessions.map((s) => s.session.clockResolutionMs)),
    calibrationMs: cal.length ? round3(median(cal)) : null,
    loadAvg: loads.length ? Math.round(Math.max(...loads) * 100) / 100 : null,
    cpus,
  };
}

/** How a check's telemetry (`now`) compares with a baseline's (`then`). */
export function compareContexts(then: BaselineContext | null | undefined, now: BaselineContext | null | undefined): Comparison {
  if (!then) return { kind: 'unknown', factor: 1, reason: 'the baseline records no machine context' };
  if (!now) return { kind: 'unknown', factor: 1, reason: 'the telemetry records no machine context' };
  if (then.calibrationMs !== null && now.calibrationMs !== null) {
    const factor = now.calibrationMs / then.calibrationMs;
    const text = `calibration ${fmt(now.calibrationMs)} ms now vs ${fmt(then.calibrationMs)} ms at the baseline`;
    if (Math.abs(Math.log(factor)) <= Math.log(1 + SAME_SPEED_BAND)) return { kind: 'same', factor: 1, reason: `same machine speed (${text})` };
    return { kind: 'normalised', factor, reason: `the machine is ${factor > 1 ? `${fmt(factor)}× slower` : `${fmt(1 / factor)}× faster`} (${text}): baseline timings scaled by ${fmt(factor)}` };
  }
  if (then.loadAvg !== null && now.loadAvg !== null && then.cpus && now.cpus) {
    const a = then.loadAvg / then.cpus;
    const b = now.loadAvg / now.cpus;
    const quiet = (x: number) => x < QUIET_LOAD;
    if (quiet(a) !== quiet(b) && Math.abs(a - b) >= QUIET_LOAD) {
      return { kind: 'unfair', factor: 1, reason: `load average ${fmt(now.loadAvg)} on ${now.cpus} CPUs now vs ${fmt(then.loadAvg)} on ${then.cpus} at the baseline, and no calibration to normalise by` };
    }
    return { kind: 'same', factor: 1, reason: `comparable load (${fmt(now.loadAvg)} now, ${fmt(then.loadAvg)} at the baseline)` };
  }
  return { kind: 'same', factor: 1, reason: 'no calibration or load on one side: compared as recorded' };
}

function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function fmt(v: number): string {
  return v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/**
 * The calibration workload, run in the page: integer hashing, array sorting and string work, as
 * handlers do. Its result is returned so no engine can drop it. Self-contained (serialised into
 * the page by the replay): no imports, no closures.
 */
export function calibrationWorkload(): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 400_000; i++) h = Math.imul(h ^ i, 0x01000193) >>> 0;
  const xs: number[] = [];
  let x = h;
  for (let i = 0; i < 20_000; i++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    xs.push(x);
  }
  xs.sort((a, b) => a - b);
  let s = '';
  for (let i = 0; i < 2_000; i++) s += (xs[i]! % 36).toString(36);
  return (xs[xs.length >> 1]! ^ s.length) >>> 0;
}
