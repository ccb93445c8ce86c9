/**
 * Paired samples from interleaved replays (see replay/paired.ts): in every round each build ran
 * the same steps in turn, so a step's samples on the baseline (A) and on a candidate (B) share
 * the machine's moment. This module turns one round's two sessions into paired samples of a run
 * metric, summarises them per round (the cluster: samples of one page share its heap, JIT and
 * load), and compares the rounds:
 *
 *   - a handler's calls and the flow's interactions pair by their order within the step (the
 *     k-th keystroke of a typed word on A with the k-th on B);
 *   - a handler's total work (`sum`) and worst call (`max`) pair step by step;
 *   - frames pair step by step: the longest frame (or the total long-frame blocking) each step
 *     caused, over the steps where either side had a long frame (a step without one on both
 *     sides says nothing about frames, and averaging it in would dilute a real change);
 *   - errors pair per round (their count).
 *
 * Every sample is floored at the metric's meaningful minimum and compared on the log scale.
 * A round's value is the mean paired log-ratio of its samples; the interval is Student's t over
 * rounds (df = rounds − 1). That is the honest interval for clustered samples: within-round
 * samples are averaged, never counted as independent. It is narrow because pairing cancels
 * what the rounds share (the load of the moment), not because samples are counted twice.
 */
import { METRICS, metricValue } from './metrics.ts';
import { runMetricFloor, type RunMetric } from './run-metrics.ts';
import type { SessionFile } from './session.ts';
import { tQuantile } from './check/normal.ts';
import type { LogComparison } from './verdict.ts';

/** Where one action step ran on one page, on that page's `performance.now()` clock. */
export interface StepWindow {
  step: number;
  start: number;
  end: number;
  /** Its place in the step's order across the builds (0: ran first). */
  position: number;
}

export interface PairedSide {
  session: SessionFile;
  steps: readonly StepWindow[];
}

/** One round's summary of a metric: mean log values of its paired samples. */
export interface RoundSample {
  /** Mean of log B − log A over the round's pairs. */
  d: number;
  /** Mean log A and mean log B (so exp(b − a) = exp(d)). */
  a: number;
  b: number;
  /** Raw means, for reading. */
  rawA: number;
  rawB: number;
  pairs: number;
}

/** Which step each time falls in: from a step's start to the next step's start on that page. */
function stepOf(steps: readonly StepWindow[], t: number): number | null {
  let found: number | null = null;
  for (const w of steps) {
    if (t >= w.start) found = w.step;
    else break;
  }
  return found;
}

function byStep<T>(side: PairedSide, items: readonly T[], time: (x: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  const steps = side.steps.slice().sort((x, y) => x.start - y.start);
  for (const it of items) {
    const s = stepOf(steps, time(it));
    if (s === null) continue;
    const list = out.get(s);
    if (list) list.push(it);
    else out.set(s, [it]);
  }
  return out;
}

const framesObserved = (f: SessionFile) => f.frames.length > 0 || f.calls.some((c) => c.frames !== null);

/** The raw pairs (A value, B value) a round gives for `m`; null when either page cannot measure it. */
export function pairedValues(A: PairedSide, B: PairedSide, m: RunMetric): Array<[number, number]> | null {
  const pairs: Array<[number, number]> = [];
  const steps = new Set([...A.steps.map((w) => w.step), ...B.steps.map((w) => w.step)]);
  if (m.kind === 'flow') {
    if (m.metric === 'errors') {
      const count = (f: SessionFile) => f.calls.filter((c) => c.error !== null || c.outcome === 'threw' || c.outcome === 'rejected').length;
      return [[count(A.session), count(B.session)]];
    }
    if (m.metric === 'interaction') {
      const seq = (side: PairedSide) => byStep(side, side.session.sequences.filter((s) => s.interactionMs !== null && s.interactionMs !== undefined), (s) => s.start);
      const a = seq(A);
      const b = seq(B);
      for (const s of steps) {
        const xa = a.get(s) ?? [];
        const xb = b.get(s) ?? [];
        for (let k = 0; k < Math.min(xa.length, xb.length); k++) pairs.push([xa[k]!.interactionMs!, xb[k]!.interactionMs!]);
      }
      return pairs;
    }
    if (!framesObserved(A.session) || !framesObserved(B.session)) return null;
    const frames = (side: PairedSide) => byStep(side, side.session.frames, (f) => f.start);
    const a = frames(A);
    const b = frames(B);
    const of = (list: SessionFile['frames'] | undefined) =>
      !list || list.length === 0 ? 0 : m.metric === 'longestFrame' ? Math.max(...list.map((f) => f.durationMs)) : list.reduce((t, f) => t + f.blockingMs, 0);
    for (const s of steps) {
      const va = of(a.get(s));
      const vb = of(b.get(s));
      if (va > 0 || vb > 0) pairs.push([va, vb]);
    }
    // No long frame on either side in the whole round: one pair at the floor says "none, both".
    if (pairs.length === 0) pairs.push([0, 0]);
    return pairs;
  }
  const calls = (side: PairedSide) => {
    const mine = side.session.calls.filter((c) => c.handler === m.handler);
    const grouped = byStep(side, mine, (c) => c.start);
    // Nulls stay in place: the k-th call pairs with the k-th call even when one has no value
    // (a superseded transition paints no result of its own).
    const values = new Map<number, Array<number | null>>();
    for (const [s, list] of grouped) values.set(s, list.map((c) => metricValue(c, m.metric)));
    return values;
  };
  const a = calls(A);
  const b = calls(B);
  const known = (xs: ReadonlyArray<number | null>) => xs.filter((v): v is number => v !== null);
  for (const s of steps) {
    const xa = a.get(s) ?? [];
    const xb = b.get(s) ?? [];
    if (m.stat === 'sum') {
      // Work that should happen less often: a step without calls on one side did none there.
      if (xa.length > 0 || xb.length > 0) pairs.push([known(xa).reduce((t, v) => t + v, 0), known(xb).reduce((t, v) => t + v, 0)]);
    } else if (m.stat === 'max') {
      if (known(xa).length > 0 && known(xb).length > 0) pairs.push([Math.max(...known(xa)), Math.max(...known(xb))]);
    } else {
      for (let k = 0; k < Math.min(xa.length, xb.length); k++) {
        const va = xa[k];
        const vb = xb[k];
        if (va !== null && va !== undefined && vb !== null && vb !== undefined) pairs.push([va, vb]);
      }
    }
  }
  return pairs;
}

/**
 * A round's summary of `m` over every flow it replayed (each flow gives its A and B sides), or
 * null when the round has no paired sample of it.
 */
export function roundSample(sides: ReadonlyArray<readonly [PairedSide, PairedSide]>, m: RunMetric): RoundSample | null {
  const pairs: Array<[number, number]> = [];
  for (const [A, B] of sides) pairs.push(...(pairedValues(A, B, m) ?? []));
  if (pairs.length === 0) return null;
  const floor = runMetricFloor(m);
  let a = 0;
  let b = 0;
  let rawA = 0;
  let rawB = 0;
  for (const [x, y] of pairs) {
    a += Math.log(Math.max(x, floor));
    b += Math.log(Math.max(y, floor));
    rawA += x;
    rawB += y;
  }
  const n = pairs.length;
  return { d: (b - a) / n, a: a / n, b: b / n, rawA: rawA / n, rawB: rawB / n, pairs: n };
}

/**
 * B/A over rounds: the geometric means of the paired samples (rounds weighted equally) and a
 * t-interval on the mean per-round log-ratio with `rounds − 1` degrees of freedom.
 */
export function comparePaired(rounds: readonly RoundSample[], options: { confidence: number; floor: number }): LogComparison {
  const G = rounds.length;
  if (G < 2) throw new RangeError('comparePaired() needs at least two rounds');
  const mean = (f: (r: RoundSample) => number) => rounds.reduce((s, r) => s + f(r), 0) / G;
  const d = mean((r) => r.d);
  const sd = Math.sqrt(rounds.reduce((s, r) => s + (r.d - d) ** 2, 0) / (G - 1));
  const half = sd === 0 ? 0 : tQuantile(1 - (1 - options.confidence) / 2, G - 1) * (sd / Math.sqrt(G));
  const pairs = rounds.reduce((s, r) => s + r.pairs, 0);
  return {
    nA: pairs,
    nB: pairs,
    meanA: mean((r) => r.rawA),
    meanB: mean((r) => r.rawB),
    geoA: Math.exp(mean((r) => r.a)),
    geoB: Math.exp(mean((r) => r.b)),
    ratio: { estimate: Math.exp(d), low: Math.exp(d - half), high: Math.exp(d + half) },
    confidence: options.confidence,
    floor: options.floor,
    clusters: G,
  };
}

/** Labels that say what the paired statistic is: "renderReact interaction, per call (paired)". */
export function describePaired(m: RunMetric): string {
  if (m.kind === 'flow') {
    if (m.metric === 'errors') return 'errors in the flow';
    if (m.metric === 'interaction') return 'interaction in the flow, per input';
    return m.metric === 'longestFrame' ? 'longest frame per step' : 'long-frame blocking per step';
  }
  const label = METRICS[m.metric].label;
  if (m.stat === 'sum') return `${m.handler} total ${label} per step`;
  if (m.stat === 'max') return `${m.handler} worst ${label} per step`;
  return `${m.handler} ${label}, per call`;
}
